package intake

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// The booking link (BOOKING_URL): the clinic's scheduling page, offered to
// enquirers who may book straight away. Staff speak to everyone else first.

// BookingPlaceholder is replaced by the enquiry's reference in BOOKING_URL.
const BookingPlaceholder = "{reference}"

// OffersBooking reports whether an enquiry may be offered the booking link:
// only a routine one, never after a crisis answer (whatever its triage),
// never for hold, review or urgent (a clinician must look first), and not
// when it was quarantined as possible spam.
func OffersBooking(triage Level, crisis, quarantined bool) bool {
	return triage == Routine && !crisis && !quarantined
}

// ParseBookingURL checks a BOOKING_URL: empty (no link), or an absolute
// https:// URL (http:// only for localhost) that may hold {reference}.
func ParseBookingURL(s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(strings.ReplaceAll(s, BookingPlaceholder, "REF"))
	switch {
	case err != nil || u.Host == "" || u.User != nil:
		return errors.New("is not an absolute URL such as https://book.example.org/consult?ref={reference}")
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && (u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1"):
		return nil
	}
	return fmt.Errorf("must be an https:// URL (http:// only for localhost), not %s://", u.Scheme)
}

// BookingLink is the booking URL for one enquiry: BOOKING_URL with every
// {reference} replaced by the reference, escaped for where it stands (in
// the path or the query). "" when there is no BOOKING_URL.
func BookingLink(bookingURL, reference string) string {
	if bookingURL == "" {
		return ""
	}
	path, query, hasQuery := strings.Cut(bookingURL, "?")
	path = strings.ReplaceAll(path, BookingPlaceholder, url.PathEscape(reference))
	if !hasQuery {
		return path
	}
	return path + "?" + strings.ReplaceAll(query, BookingPlaceholder, url.QueryEscape(reference))
}
