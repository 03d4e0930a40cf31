package intake

import "time"

// AuditEntry is one line of the append-only audit log. It never holds
// patient data: the enquiry is named by its opaque reference only.
type AuditEntry struct {
	At        time.Time
	Actor     string
	Action    string
	Address   string
	Reference string
	Detail    string
}

// The audit log is a hash chain: the database gives each row its place
// (seq) and a hash over the previous row's hash and its own columns
// (migration 00074). Verifying it recomputes the chain, so a row changed,
// inserted or removed by someone who got past the append-only triggers
// shows as the first link that does not hold. A rewrite that recomputes
// every later hash is caught only against a head recorded elsewhere before
// it.

// AuditLink names one row of the chain.
type AuditLink struct {
	ID   int64
	Seq  int64
	Hash []byte
}

// AuditCheck is the outcome of checking the chain.
type AuditCheck struct {
	Rows int64
	// Head is the last row checked (zero when the log is empty): recorded
	// somewhere the database's owner cannot reach, it lets a later check
	// prove that history up to it was not rewritten.
	Head AuditLink
	// Broken is the first row whose link does not hold, and why; nil when
	// the chain is intact.
	Broken *AuditBreak
}

// AuditBreak is the first broken link.
type AuditBreak struct {
	ID     int64
	Seq    int64
	Reason string
}
