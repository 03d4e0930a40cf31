package intake

import "time"

// Sign-in throttling. Failed guesses (passwords, second-factor codes, the
// current password when changing it or confirming a reset) are counted over
// a sliding window, so every replica agrees: per account from browsers the
// account has not signed in from before, per client address, and per known
// browser (device). After a few failures each further guess is slowed; past
// the limit guesses are refused until the window passes. Unknown accounts
// are counted like real ones, so the answers never reveal whether an
// account exists.
//
// A browser that completed a sign-in to an account carries a device cookie.
// Its guesses count against that device alone, not against the account:
// someone who knows a staff email and sends wrong passwords locks out only
// browsers the account never used, and the member of staff still signs in
// from their own (OWASP's "device cookies").
//
// The store counts; these functions decide.
const (
	// ThrottleWindow is how far back failures count, and how long a refused
	// sign-in should wait.
	ThrottleWindow     = 15 * time.Minute
	throttleSlowAfter  = 3
	throttleAccountMax = 10
	throttleDeviceMax  = 10
	throttleAddressMax = 50
	throttleStepDelay  = 250 * time.Millisecond
	throttleMaxDelay   = 3 * time.Second
)

// UnknownAccountActor is the audit log's actor for a sign-in to an account
// that does not exist: what was typed is not kept.
const UnknownAccountActor = "unknown-account"

// Failures are the recent failed guesses within ThrottleWindow before this
// one: of one account from browsers it has not signed in from, of one
// address, and of one known device.
type Failures struct {
	Account int
	Address int
	Device  int
}

// Refused reports whether a guess after these failures is refused: past a
// known device's own limit, or else past the account's or the address's.
func (f Failures) Refused(knownDevice bool) bool {
	if knownDevice {
		return f.Device >= throttleDeviceMax
	}
	return f.Account >= throttleAccountMax || f.Address >= throttleAddressMax
}

// Delay is how long a guess after these failures waits before it is
// checked: 250 ms more for each failure past the third, at most 3 s. An
// address's failures weigh a fifth: many people can share one.
func (f Failures) Delay(knownDevice bool) time.Duration {
	n := max(f.Account, f.Address/5)
	if knownDevice {
		n = f.Device
	}
	if n -= throttleSlowAfter - 1; n <= 0 {
		return 0
	}
	return min(time.Duration(n)*throttleStepDelay, throttleMaxDelay)
}
