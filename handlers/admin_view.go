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
	return adminPage{page: s.basePage(title), User: currentUser(r.Context())}
}

type adminErrorPage struct {
	adminPage
	Heading string
	Message string
}

// renderAdminError shows an error inside the admin layout.
func (s *server) renderAdminError(w http.ResponseWriter, r *http.Request, u intake.User, status int, heading, message string) {
	p := adminErrorPage{adminPage: adminPage{page: s.basePage(heading), User: u}, Heading: heading, Message: message}
	s.render(w, r, status, "admin_error", p)
}

// adminFail answers an error from the store inside the admin layout; internal
// errors are logged by statusOf and shown only as "Internal error."
func (s *server) adminFail(w http.ResponseWriter, r *http.Request, err error) {
	code, msg := s.statusOf(r, err)
	s.renderAdminError(w, r, currentUser(r.Context()), code, http.StatusText(code), msg)
}

// adminFuncs are the helpers admin templates use to show times.
var adminFuncs = template.FuncMap{
	"when": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
	"whenp": func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
}
