package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/clinic/intake/intake"
)

type queuePage struct {
	adminPage
	Triage      string // the filter's level, "" for any
	Status      intake.Status
	From, To    string
	Levels      []intake.Level
	Statuses    []intake.Status
	Counts      map[intake.Level]int
	Items       []queueRow
	Late        bool // the "late only" filter
	NextURL     string
	ExportURL   string
	Undelivered []intake.UndeliveredAlert
	Spam        string // "only" when listing quarantined spam
	Searched    bool
	SearchError string
}

// queueFilter reads the queue's filters from the query string. Unknown
// values are ignored. The query string itself is never logged.
func queueFilter(q url.Values) intake.QueueFilter {
	f := intake.QueueFilter{After: q.Get("after")}
	if l, ok := intake.ParseLevel(q.Get("triage")); ok {
		f.Triage = &l
	}
	f.SpamOnly = q.Get("spam") == "only"
	f.Late = q.Get("late") == "only"
	if st := intake.Status(q.Get("status")); st == intake.AnyStatus || st.Valid() {
		f.Status = st
	}
	if t, err := time.Parse("2006-01-02", q.Get("from")); err == nil {
		f.From = t
	}
	if t, err := time.Parse("2006-01-02", q.Get("to")); err == nil {
		f.To = t.AddDate(0, 0, 1) // "to" is inclusive of that day
	}
	return f
}

// filterQuery is the query string for f without the cursor.
func filterQuery(f intake.QueueFilter) url.Values {
	v := url.Values{}
	if f.Triage != nil {
		v.Set("triage", f.Triage.String())
	}
	if f.Status != "" {
		v.Set("status", string(f.Status))
	}
	if f.SpamOnly {
		v.Set("spam", "only")
	}
	if f.Late {
		v.Set("late", "only")
	}
	if !f.From.IsZero() {
		v.Set("from", f.From.Format("2006-01-02"))
	}
	if !f.To.IsZero() {
		v.Set("to", f.To.AddDate(0, 0, -1).Format("2006-01-02"))
	}
	return v
}

func (s *server) newQueuePage(r *http.Request, f intake.QueueFilter) queuePage {
	p := queuePage{adminPage: s.adminBase(r, "Enquiries"), Status: f.Status,
		Levels: intake.Levels(), Statuses: intake.Statuses()}
	if f.Triage != nil {
		p.Triage = f.Triage.String()
	}
	if f.SpamOnly {
		p.Spam = "only"
	}
	p.Late = f.Late
	if !f.From.IsZero() {
		p.From = f.From.Format("2006-01-02")
	}
	if !f.To.IsZero() {
		p.To = f.To.AddDate(0, 0, -1).Format("2006-01-02")
	}
	return p
}

// fillQueue loads the queue page's lists for filter f.
func (s *server) fillQueue(r *http.Request, p *queuePage, f intake.QueueFilter) error {
	q, err := s.Review.Queue(r.Context(), f, actor(r))
	if err != nil {
		return err
	}
	p.Items, p.Counts, p.Undelivered = s.queueRows(q.Items), q.Counts, q.Undelivered
	if q.Next != "" {
		v := filterQuery(f)
		v.Set("after", q.Next)
		p.NextURL = "/admin/enquiries?" + v.Encode()
	}
	return nil
}

// handleQueue shows the queue: open enquiries, urgent first then oldest
// first, with counts per triage level, filters and keyset pages.
func (s *server) handleQueue() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := queueFilter(r.URL.Query())
		p := s.newQueuePage(r, f)
		if err := s.fillQueue(r, &p, f); err != nil {
			s.failAdmin(w, r, err)
			return
		}
		p.ExportURL = "/admin/export/enquiries.csv"
		if q := filterQuery(f).Encode(); q != "" {
			p.ExportURL += "?" + q
		}
		s.render(w, r, http.StatusOK, "admin_queue", p)
	})
}

// handleSearch finds enquiries by reference or exact email. It is a POST so
// that an email address never appears in a URL, a history or a log.
func (s *server) handleSearch() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r, groupAdmin) {
			return
		}
		q := strings.TrimSpace(r.PostForm.Get("q"))
		f := intake.QueueFilter{Status: intake.AnyStatus, Limit: 200}
		p := s.newQueuePage(r, f)
		p.Searched = true
		switch ref := strings.ToUpper(q); {
		case intake.ValidReference(ref):
			f.Reference = ref
		case strings.Contains(q, "@"):
			f.Email = q
		default:
			p.SearchError = "Enter a reference such as K7PQ-4XM9 or a whole email address."
			s.render(w, r, http.StatusUnprocessableEntity, "admin_queue", p)
			return
		}
		if err := s.fillQueue(r, &p, f); err != nil {
			s.failAdmin(w, r, err)
			return
		}
		p.NextURL = ""
		s.render(w, r, http.StatusOK, "admin_queue", p)
	})
}
