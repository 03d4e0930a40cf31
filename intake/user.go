package intake

import (
	"fmt"
	"strings"
	"time"
)

// Role is what a staff account may do: staff work the queue; admins also
// manage users, export and erase.
type Role string

// The roles.
const (
	RoleStaff Role = "staff"
	RoleAdmin Role = "admin"
)

// ParseRole reads a role's name; ok is false for any other text.
func ParseRole(s string) (Role, bool) {
	switch Role(s) {
	case RoleStaff, RoleAdmin:
		return Role(s), true
	}
	return "", false
}

// User is a staff account.
type User struct {
	ID           int64
	Email        string
	Role         Role
	PasswordHash string
	SessionEpoch int
	CreatedAt    time.Time
	DisabledAt   *time.Time
	// TOTPEnabledAt is when two-factor sign-in was confirmed; nil without it.
	TOTPEnabledAt *time.Time
}

// HasTOTP reports whether the account signs in with a second factor.
func (u User) HasTOTP() bool { return u.TOTPEnabledAt != nil }

// IsAdmin reports whether the user may manage users, export and erase.
func (u User) IsAdmin() bool { return u.Role == RoleAdmin }

// HasEmail reports whether email, as someone typed it, names u's account.
func (u User) HasEmail(email string) bool { return NormaliseEmail(email) == u.Email }

// String is the account as `intake user list` prints it.
func (u User) String() string {
	state := "active"
	if u.DisabledAt != nil {
		state = "disabled"
	}
	return fmt.Sprintf("%s\t%s\t%s", u.Email, u.Role, state)
}

// NormaliseEmail is an account's email as it is stored and compared: trimmed
// and in lower case.
func NormaliseEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// Actor is who an action is attributed to: a request's signed-in user or the
// command line, and the address the request came from.
type Actor struct {
	Name    string // the staff email, "cli:<user>" or "system"
	Address string
}

// Client is where a sign-in step comes from: the client address (the one
// the HTTP layer decided for the request) and, when the browser presented
// a valid device cookie, what it says.
type Client struct {
	Address string
	Device  Device
}

// Device is what a valid device cookie says: the browser completed a
// sign-in to account UserID while its session epoch was Epoch. ID names the
// browser. A password change or reset, disabling, or a 2FA reset moves the
// epoch, and with it every device's standing.
type Device struct {
	UserID int64
	Epoch  int
	ID     string
}

// KnownDevice is the device's ID when the browser signed in to u before
// (at u's current epoch), and "" otherwise.
func (c Client) KnownDevice(u User) string {
	if c.Device.ID == "" || u.ID == 0 || c.Device.UserID != u.ID || c.Device.Epoch != u.SessionEpoch {
		return ""
	}
	return c.Device.ID
}

// The length bounds of a password; intake/auth's CheckPassword also refuses
// one that is easy to guess.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 256
)

// RecoveryCodeCount is how many one-time recovery codes enrolment shows.
const RecoveryCodeCount = 10

// Enrolment is the two-factor key one session is offered while it enrols:
// the secret in base32 (typed by hand) and the otpauth:// URL (shown as a QR
// code).
type Enrolment struct {
	Secret string
	URL    string
}
