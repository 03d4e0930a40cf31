package handlers

import (
	"net/http"
	"slices"

	"github.com/clinic/intake/intake"
)

type receivedPage struct {
	page
	Reference  string
	ShowCrisis bool
	// ShowBPCrisis asks the person to re-check a crisis-range reading and
	// seek care now.
	ShowBPCrisis bool
	Expired      bool
	// BookingLink is the clinic's scheduling page for a routine enquiry
	// (BOOKING_URL), "" for every other.
	BookingLink string
}

// handleReceived is the confirmation page after a form post. Its URL holds
// only an encrypted, short-lived token, so it reveals nothing later.
func (s *server) handleReceived() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := receivedPage{page: s.basePage(r, "received_title")}
		t, err := s.PageTokens.Open(r.URL.Query().Get("t"))
		if err != nil {
			p.Expired = true
			p.Title = s.t(r, "received_title_expired")
			s.render(w, r, http.StatusOK, "received", p)
			return
		}
		setReference(r, t.Reference)
		p.Reference, p.ShowCrisis, p.ShowBPCrisis = t.Reference, t.Crisis, t.BPCrisis
		if t.Booking && !t.Crisis && !t.BPCrisis {
			p.BookingLink = intake.BookingLink(s.BookingURL, t.Reference)
		}
		s.render(w, r, http.StatusOK, "received", p)
	})
}

// hasFlag reports whether the screening raised the flag with this code.
func hasFlag(sc intake.Screening, code string) bool {
	return slices.ContainsFunc(sc.Flags, func(f intake.Flag) bool { return f.Code == code })
}

// handleNotFound answers a page that does not exist: a 404 page in the
// visitor's language, with the crisis footer and a way back to the form.
func (s *server) handleNotFound() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.failPage(w, r, intake.ErrNotFound)
	})
}
