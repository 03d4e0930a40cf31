// Package mail sends what must reach a person: the staff alert, the
// enquirer's confirmation, urgent reminders and the spam digest by email
// (go-mail, templates embedded and parsed at start), and the signed
// webhooks. Each is a job on the queue (intake/jobs); its worker loads what
// it sends through intake's DeliveryService and runs the one send step
// (deliverer.go).
//
// It imports intake, intake/jobs, River and go-mail; never handlers,
// intake/postgres or cmd.
package mail

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTPConfig says how to reach the outgoing mail server.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string
	Password string
	TLS      string // "none", "starttls" or "tls"
	Timeout  time.Duration
}

// Sender delivers messages to one SMTP server. It keeps the connections of
// finished sends open for the next ones (up to maxIdle), since a dial and
// greeting per message cost more than the message itself.
type Sender struct {
	cfg  SMTPConfig
	idle chan *gomail.Client
}

// maxIdle bounds the open connections kept between sends (at least one per
// worker).
const maxIdle = 16

// NewSender returns a Sender for cfg; nothing is dialled until Send.
func NewSender(cfg SMTPConfig) *Sender {
	if cfg.Timeout == 0 {
		cfg.Timeout = 15 * time.Second
	}
	return &Sender{cfg: cfg, idle: make(chan *gomail.Client, maxIdle)}
}

// Close closes the connections kept open between sends.
func (s *Sender) Close() {
	for {
		select {
		case c := <-s.idle:
			c.Close() //nolint:errcheck // closing is best effort
		default:
			return
		}
	}
}

// keep returns a connection to the idle set, or closes it when the set is full.
func (s *Sender) keep(c *gomail.Client) {
	select {
	case s.idle <- c:
	default:
		c.Close() //nolint:errcheck // closing is best effort
	}
}

func (s *Sender) client() (*gomail.Client, error) {
	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(s.cfg.Timeout)}
	switch s.cfg.TLS {
	case "tls":
		opts = append(opts, gomail.WithSSL())
	case "starttls":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if s.cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain),
			gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	return gomail.NewClient(s.cfg.Host, opts...)
}

// Send delivers one message. The error it returns is already scrubbed (safe
// to log and to store: a server's reply can quote a recipient's address) and
// is a *PermanentError when the server refused it with a 5xx reply.
//
// An idle connection is tried first: go-mail checks it with NOOP before MAIL
// FROM, so a connection the server dropped fails that check without sending
// anything, and the message goes out on a fresh one instead.
func (s *Sender) Send(ctx context.Context, m *gomail.Msg) error {
	select {
	case c := <-s.idle:
		err := c.Send(m)
		if err == nil {
			s.keep(c)
			return nil
		}
		c.Close() //nolint:errcheck // the connection is dropped either way
		var se *gomail.SendError
		if !errors.As(err, &se) || se.Reason != gomail.ErrConnCheck {
			return scrubSMTP(err)
		}
	default:
	}
	c, err := s.client()
	if err != nil {
		return fmt.Errorf("smtp client: %w", scrubSMTP(err))
	}
	if err := c.DialWithContext(ctx); err != nil {
		return scrubSMTP(err)
	}
	if err := c.Send(m); err != nil {
		c.Close() //nolint:errcheck // the send error is the one to report
		return scrubSMTP(err)
	}
	s.keep(c)
	return nil
}

// PermanentError is a send the mail server refused for good (a 5xx reply):
// retrying would not help and would look like a flood to the server.
type PermanentError struct {
	Code int
	What string
}

func (e *PermanentError) Error() string {
	return fmt.Sprintf("smtp: permanent failure %d during %s", e.Code, e.What)
}

// TransientError is a send that may succeed later: the server was down,
// timed out or answered 4xx.
type TransientError struct {
	Code int
	What string
}

func (e *TransientError) Error() string {
	if e.Code == 0 {
		return "smtp: temporary failure: " + e.What
	}
	return fmt.Sprintf("smtp: temporary failure %d during %s", e.Code, e.What)
}

// scrubSMTP keeps the reply code and the stage of the conversation, and drops
// the reply text and the recipient list that go-mail's error carries.
func scrubSMTP(err error) error {
	var se *gomail.SendError
	if errors.As(err, &se) {
		code := se.ErrorCode()
		if code >= 500 && code <= 599 {
			return &PermanentError{Code: code, What: se.Reason.String()}
		}
		return &TransientError{Code: code, What: se.Reason.String()}
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return &TransientError{What: "cannot reach the mail server (" + opErr.Op + ")"}
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return &TransientError{What: "timed out"}
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return &TransientError{What: "network error"}
	}
	return &TransientError{What: fmt.Sprintf("error of type %T", err)}
}
