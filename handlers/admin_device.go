package handlers

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/seal"
)

// deviceLife is how long a browser stays known after its last sign-in.
const deviceLife = 180 * 24 * time.Hour

// deviceCookies mark a browser that completed a sign-in: a long-lived,
// HttpOnly cookie naming the account, its session epoch at the time, a
// random id for the browser and when it was issued, signed (intake/seal:
// a sub-key of DATA_KEY, so every replica agrees and nothing new needs
// configuring). Sign-in throttling counts such a browser's wrong guesses
// against it alone, so someone sending wrong passwords for a known staff
// email cannot lock the member of staff out of the browsers they already
// use (intake/throttle.go says the rest).
type deviceCookies struct {
	signer seal.Signer
	name   string
	secure bool
	now    func() time.Time
}

// newDeviceCookies returns the device cookies signed by signer; under an
// https PUBLIC_URL they are Secure with the __Host- prefix.
func newDeviceCookies(signer seal.Signer, publicURL string) deviceCookies {
	d := deviceCookies{signer: signer, name: "intake_device", now: time.Now}
	if strings.HasPrefix(publicURL, "https://") {
		d.name, d.secure = "__Host-intake_device", true
	}
	return d
}

// remember gives the browser a fresh device cookie for u (after a complete
// sign-in, or a password change that moved u's epoch).
func (d deviceCookies) remember(w http.ResponseWriter, u intake.User) {
	payload := fmt.Sprintf("%d.%d.%d.%s", u.ID, u.SessionEpoch, d.now().Unix(), rand.Text())
	http.SetCookie(w, &http.Cookie{
		Name: d.name, Value: payload + "." + d.signer.Sign(payload), Path: "/",
		MaxAge: int(deviceLife.Seconds()), HttpOnly: true, Secure: d.secure, SameSite: http.SameSiteStrictMode,
	})
}

// device is what the request's device cookie says, or the zero Device
// when it has none, or one that is forged, garbled or too old.
func (d deviceCookies) device(r *http.Request) intake.Device {
	c, err := r.Cookie(d.name)
	if err != nil {
		return intake.Device{}
	}
	// The signature is base64url, which has no dots: it follows the last one.
	i := strings.LastIndexByte(c.Value, '.')
	if i < 0 || !d.signer.Valid(c.Value[:i], c.Value[i+1:]) {
		return intake.Device{}
	}
	f := strings.Split(c.Value[:i], ".")
	if len(f) != 4 {
		return intake.Device{}
	}
	id, err1 := strconv.ParseInt(f[0], 10, 64)
	epoch, err2 := strconv.Atoi(f[1])
	issued, err3 := strconv.ParseInt(f[2], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || d.now().Sub(time.Unix(issued, 0)) > deviceLife {
		return intake.Device{}
	}
	return intake.Device{UserID: id, Epoch: epoch, ID: f[3]}
}

// client is where a sign-in step comes from, for throttling and the audit.
func (s *server) client(r *http.Request) intake.Client {
	return intake.Client{Address: requestAddrText(r), Device: s.devices.device(r)}
}
