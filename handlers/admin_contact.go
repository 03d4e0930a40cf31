package handlers

import (
	"errors"
	"html/template"
	"net/http"
	"strings"

	"github.com/clinic/intake/intake"
)

// contactForm is the "Log a contact attempt" form as posted, shown again
// with what to fix when it was refused.
type contactForm struct {
	Method  string
	Outcome string
	Note    string
	Errors  map[string]string
}

// handleLogContact records a contact attempt (POST
// /admin/enquiries/{reference}/contact: method, outcome, an optional note).
// The store audits it; the first attempt is the enquiry's time to first
// contact, observed for the metrics, and moves a new enquiry to contacted.
// A refused form comes back on the enquiry's page with what was typed.
func (s *server) handleLogContact() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref := r.PathValue("reference")
		setReference(r, ref)
		if !s.parseForm(w, r, groupAdmin) {
			return
		}
		form := contactForm{Method: r.PostForm.Get("method"), Outcome: r.PostForm.Get("outcome"), Note: r.PostForm.Get("note")}
		a, err := intake.NewContactAttempt(form.Method, form.Outcome, form.Note)
		var invalid *intake.ValidationError
		if errors.As(err, &invalid) {
			form.Errors = invalid.Fields
			s.renderDetailPage(w, r, http.StatusUnprocessableEntity, "The contact attempt was not logged: see the form below.", form)
			return
		}
		logged, err := s.Review.LogContact(r.Context(), ref, a, actor(r))
		if err == nil && logged.First {
			s.Metrics.observeFirstContact(logged.Triage, logged.Since)
		}
		s.decided(w, r, err)
	})
}

// mailtoURL is a mailto: link to address, every character but letters,
// digits, "@" and "-._~" percent-encoded (RFC 6068), so that an address
// holding "?" or "&" (both allowed in one) cannot add a recipient, subject
// or body to the message it opens.
func mailtoURL(address string) template.URL {
	if address == "" {
		return ""
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.WriteString("mailto:")
	for i := range len(address) {
		c := address[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("@-._~", c) >= 0:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return template.URL(b.String()) //nolint:gosec // every byte outside a fixed safe set is percent-encoded
}

// telURL is a tel: link for a phone number as typed: a leading "+" and the
// digits, with spaces, dots, dashes and brackets between them dropped, up to
// anything else (an extension, a second number), so the link dials exactly
// the number's digits. "" when there is no digit.
func telURL(phone string) template.URL {
	var digits strings.Builder
	for i, r := range strings.TrimSpace(phone) {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == '+' && i == 0:
			digits.WriteRune(r)
		case strings.ContainsRune(" .-()", r):
		default:
			if digits.Len() > 0 {
				return telOf(digits.String())
			}
			return ""
		}
	}
	return telOf(digits.String())
}

func telOf(digits string) template.URL {
	if strings.Trim(digits, "+") == "" {
		return ""
	}
	return template.URL("tel:" + digits) //nolint:gosec // "+" and digits only
}
