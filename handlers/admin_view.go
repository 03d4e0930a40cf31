package handlers

import (
	"html/template"
	"net/http"
	"time"

	"github.com/clinic/intake/intake"
)

// adminPage is what every admin template gets: the layout's fields and the
// signed-in user (zero on the sign-in page).
type adminPage struct {
	page
	User intake.User
}

func (s *server) adminBase(r *http.Request, title string) adminPage {
	return adminPage{page: s.staffBase(title), User: currentUser(r.Context())}
}

// staffBase is the layout's data for a staff page: English, whatever the
// visitor's language, with no language switch (the staff pages are not
// translated), and the title as given.
func (s *server) staffBase(title string) page {
	return page{Title: title, Clinic: s.ClinicName, Crisis: s.crisisIn(staffLanguage), Lang: staffLanguage}
}

// adminFuncs are the helpers admin templates use to show times.
var adminFuncs = template.FuncMap{
	"add":        func(a, b int) int { return a + b },
	"when":       func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
	"day":        func(t time.Time) string { return t.Format("Mon 2 Jan 2006") },
	"failedDays": func() int { return intake.FailedJobsKeptDays },
	"whenp": func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
}
