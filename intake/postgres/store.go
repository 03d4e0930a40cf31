// Package postgres is the store: it keeps enquiries, staff accounts, the
// audit log and everything else in Postgres (sqlx and lib/pq), seals
// personal data with intake/seal, hashes passwords with intake/auth and
// enqueues jobs through intake/jobs in the same transaction as what they are
// about. It implements intake's services.
//
// One file per use case. A public method is one use case and opens its own
// transaction (even to read: what a page shows is read at one moment);
// lowercase helpers take the transaction they run in (benbjohnson/wtf's
// sqlite package is the model). Where one use case needs more than one
// transaction, the method says why. Database errors are scrubbed (scrub.go)
// before they leave the package.
//
// Only cmd/... imports it; handlers and mail see it through intake's
// interfaces.
package postgres

import (
	"context"
	"strings"
	"time"
	"unicode"

	"github.com/jmoiron/sqlx"
	"github.com/jmoiron/sqlx/reflectx"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/auth"
	"github.com/clinic/intake/intake/jobs"
	"github.com/clinic/intake/intake/seal"
)

// Store keeps enquiries in Postgres. Public methods open their own
// transaction; lowercase helpers take the transaction they run in.
type Store struct {
	db    *sqlx.DB
	box   *seal.Box
	jobs  jobs.Inserter
	opts  Options
	batch *batcher // group commit of concurrent submissions (enquiry_batch.go)
	forms forms    // published forms, parsed once (form.go)
	hot   hotStmts // the hot path's statements, prepared (prepared.go)
}

// Options are the policies and tunables of a store; the zero value turns
// webhooks, reminders and confirmation caps off and uses the defaults for
// the rest.
type Options struct {
	// Escalation: webhooks and urgent reminders added to new enquiries.
	Escalation intake.Escalation
	// MailCaps limit confirmation emails.
	MailCaps intake.MailCaps
	// Hasher bounds password hashing; nil: auth.NewHasher(0, 0).
	Hasher *auth.Hasher
	// Sleep waits out the slowdown after repeated sign-in failures, or
	// returns the context's error; nil waits in real time, at most
	// SlowdownMax. Tests pass one that records.
	Sleep func(ctx context.Context, d time.Duration) error
	// SlowdownMax caps the real-time wait (SIGN_IN_SLOWDOWN_MAX); zero: no cap.
	SlowdownMax time.Duration
	// Now is the clock; nil: time.Now.
	Now func() time.Time
	// Deadlines are the response deadlines per triage level (the late
	// filter, the late counts, the dashboard); zero: intake.DefaultDeadlines.
	Deadlines intake.Deadlines
	// Zone is the clinic's time zone (CLINIC_TIMEZONE): the day an enquiry
	// counts towards in the flag tally; nil: UTC.
	Zone *time.Location
}

// NewStore returns a store on db that seals personal data with box and
// enqueues jobs through inserter, in the same transaction as the enquiry.
func NewStore(db *sqlx.DB, box *seal.Box, inserter jobs.Inserter, o Options) *Store {
	if o.Hasher == nil {
		o.Hasher = auth.NewHasher(0, 0)
	}
	if o.Sleep == nil {
		o.Sleep = func(ctx context.Context, d time.Duration) error {
			if o.SlowdownMax > 0 {
				d = min(d, o.SlowdownMax)
			}
			return sleepCtx(ctx, d)
		}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Deadlines == (intake.Deadlines{}) {
		o.Deadlines = intake.DefaultDeadlines()
	}
	if o.Zone == nil {
		o.Zone = time.UTC
	}
	// Rows scan into intake's types, which carry no tags: a column matches
	// the field whose name it spells in snake case (ReceivedAt, received_at).
	mapped := sqlx.NewDb(db.DB, db.DriverName())
	mapped.Mapper = reflectx.NewMapperFunc("db", snakeCase)
	s := &Store{db: mapped, box: box, jobs: inserter, opts: o}
	s.batch = newBatcher(s)
	return s
}

func (s *Store) now() time.Time { return s.opts.Now() }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	return scrub("ping", s.db.PingContext(ctx))
}

// KeyID names the key the store seals under now (DATA_KEY's id).
func (s *Store) KeyID() string { return s.box.KeyID() }

// inTx runs fn in one transaction, committing when it returns nil.
func (s *Store) inTx(ctx context.Context, op string, fn func(tx *sqlx.Tx) error) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return scrub(op+": begin", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return scrub(op+": commit", err)
	}
	return nil
}

// sleepCtx waits d, or less when ctx ends first.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// snakeCase spells a Go field name as its column: ReceivedAt is
// received_at, TOTPEnabledAt totp_enabled_at, ID id.
func snakeCase(name string) string {
	var b strings.Builder
	rs := []rune(name)
	for i, r := range rs {
		if unicode.IsUpper(r) && i > 0 &&
			(unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1])) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// levelOf reads the triage of enquiry alias e as an intake.Level (its
// number), from the stored rank of migration 00060 (urgent 1 … routine 4).
func levelOf(e string) string { return "(4 - " + e + ".triage_rank)" }

// The store is every service of the domain.
var (
	_ intake.EnquiryService    = (*Store)(nil)
	_ intake.SignInService     = (*Store)(nil)
	_ intake.AccountService    = (*Store)(nil)
	_ intake.UserService       = (*Store)(nil)
	_ intake.ReviewService     = (*Store)(nil)
	_ intake.ExportService     = (*Store)(nil)
	_ intake.DeliveryService   = (*Store)(nil)
	_ intake.EscalationService = (*Store)(nil)
	_ intake.RetentionService  = (*Store)(nil)
	_ intake.OperationsService = (*Store)(nil)
	_ intake.FormService       = (*Store)(nil)
)
