package faulttest

import (
	"io"
	"net"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/clinic/intake/intake/intaketest"
)

// scriptedSMTP is an in-process mail server that answers as told: accept,
// 550 on RCPT ("reject5xx"), or 451 on DATA for the next few messages
// ("tempfail").
type scriptedSMTP struct {
	port int
	srv  *smtp.Server

	mu        sync.Mutex
	mode      string
	failsLeft int
	rcpts     int
	datas     int
	accepted  int
}

func startScriptedSMTP(t *testing.T, mode string) *scriptedSMTP {
	t.Helper()
	s := &scriptedSMTP{mode: mode}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{s: s}, nil }))
	s.srv.Domain = "scripted.test"
	s.srv.ReadTimeout, s.srv.WriteTimeout = 30*time.Second, 30*time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.port = l.Addr().(*net.TCPAddr).Port
	go s.srv.Serve(l) //nolint:errcheck // ends with Close
	t.Cleanup(func() { s.srv.Close() })
	return s
}

// set switches the answers: mode "accept", "reject5xx" or "tempfail" with
// fails 451s before accepting.
func (s *scriptedSMTP) set(mode string, fails int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mode, s.failsLeft = mode, fails
}

// counts returns RCPT commands seen, DATA transfers seen and messages accepted.
func (s *scriptedSMTP) counts() (rcpts, datas, accepted int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rcpts, s.datas, s.accepted
}

type smtpSession struct{ s *scriptedSMTP }

func (*smtpSession) Reset()                               {}
func (*smtpSession) Logout() error                        { return nil }
func (*smtpSession) Mail(string, *smtp.MailOptions) error { return nil }
func (ss *smtpSession) Rcpt(string, *smtp.RcptOptions) error {
	s := ss.s
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rcpts++
	if s.mode == "reject5xx" {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "mailbox unavailable"}
	}
	return nil
}

func (ss *smtpSession) Data(r io.Reader) error {
	if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	s := ss.s
	s.mu.Lock()
	defer s.mu.Unlock()
	s.datas++
	if s.mode == "tempfail" && s.failsLeft > 0 {
		s.failsLeft--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	s.accepted++
	return nil
}

var refInSubject = regexp.MustCompile(`New enquiry (\S+)$`)

// alertCounts counts the staff alerts Mailpit caught, per enquiry reference.
func alertCounts(t *testing.T, mp *intaketest.Mailpit) map[string]int {
	t.Helper()
	counts := map[string]int{}
	for _, m := range mp.Messages(t) {
		if sm := refInSubject.FindStringSubmatch(m.Subject); sm != nil {
			counts[sm[1]]++
		}
	}
	return counts
}

// waitAlerts polls Mailpit until every reference has an alert or the timeout
// passes, and returns the counts and when the last one arrived.
func waitAlerts(t *testing.T, mp *intaketest.Mailpit, refs []string, timeout time.Duration) (map[string]int, int) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		counts := alertCounts(t, mp)
		missing := 0
		for _, r := range refs {
			if counts[r] == 0 {
				missing++
			}
		}
		if missing == 0 || time.Now().After(deadline) {
			return counts, missing
		}
		time.Sleep(time.Second)
	}
}

// duplicates is how many alerts beyond the first were delivered.
func duplicates(counts map[string]int) int {
	d := 0
	for _, c := range counts {
		if c > 1 {
			d += c - 1
		}
	}
	return d
}
