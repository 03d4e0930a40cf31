package handlers

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/seal"
)

// TestDeviceCookieIsSignedAndExpires: the device cookie is HttpOnly,
// SameSite=Strict and Secure (with the __Host- prefix) over https; it
// reads back as the account and epoch it was issued for, and a changed,
// forged or too old cookie reads as no device at all.
func TestDeviceCookieIsSignedAndExpires(t *testing.T) {
	t.Parallel()
	keys, _ := seal.New(bytes.Repeat([]byte{9}, 32), nil)
	otherKeys, _ := seal.New(bytes.Repeat([]byte{8}, 32), nil)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	d := newDeviceCookies(keys.Devices(), "https://enquiries.clinic.test")
	d.now = func() time.Time { return now }
	w := httptest.NewRecorder()
	d.remember(w, intake.User{ID: 42, SessionEpoch: 3})
	c := w.Result().Cookies()[0]
	if c.Name != "__Host-intake_device" || !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteStrictMode || c.Path != "/" ||
		c.MaxAge < 90*24*3600 {
		t.Errorf("device cookie %+v: want __Host-, HttpOnly, Secure, SameSite=Strict, Path=/, long-lived", c)
	}
	read := func(d deviceCookies, value string) intake.Device {
		r := httptest.NewRequest("POST", "/admin/sign-in", nil)
		r.AddCookie(&http.Cookie{Name: c.Name, Value: value})
		return d.device(r)
	}
	got := read(d, c.Value)
	if got.UserID != 42 || got.Epoch != 3 || len(got.ID) < 20 {
		t.Errorf("device read back as %+v, want user 42 at epoch 3 with a random id", got)
	}
	other := newDeviceCookies(otherKeys.Devices(), "https://enquiries.clinic.test")
	other.now = d.now
	forged := strings.Replace(c.Value, "42.", "43.", 1)
	for name, v := range map[string]string{"forged account": forged, "another key": "", "garbled": "abc", "empty": ""} {
		dc := d
		if name == "another key" {
			dc, v = other, c.Value
		}
		if got := read(dc, v); got != (intake.Device{}) {
			t.Errorf("%s: read as %+v, want no device", name, got)
		}
	}
	old := d
	old.now = func() time.Time { return now.Add(deviceLife + time.Hour) }
	if got := read(old, c.Value); got != (intake.Device{}) {
		t.Errorf("a cookie past its life read as %+v", got)
	}
	if plain := newDeviceCookies(keys.Devices(), "http://localhost:8080"); plain.name != "intake_device" || plain.secure {
		t.Errorf("over http the cookie is %q secure=%v, want intake_device without Secure", plain.name, plain.secure)
	}
}
