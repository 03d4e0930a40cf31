package handlers

import "net/http"

type receivedPage struct {
	page
	Reference  string
	ShowCrisis bool
	Expired    bool
}

// handleReceived is the confirmation page after a form post. Its URL holds
// only an encrypted, short-lived token, so it reveals nothing later.
func (s *server) handleReceived() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := receivedPage{page: s.basePage("Enquiry received")}
		t, err := s.tokens.open(r.URL.Query().Get("t"))
		if err != nil {
			p.Expired = true
			p.Title = "Page expired"
			s.render(w, r, http.StatusOK, "received", p)
			return
		}
		setReference(r, t.Reference)
		p.Reference, p.ShowCrisis = t.Reference, t.Crisis
		s.render(w, r, http.StatusOK, "received", p)
	})
}
