package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/questionnaire"
	"github.com/clinic/intake/intake/seal"
)

// sealedShape is the JSON the store seals (intake/postgres's
// sealedEnquiry): the enquiry in the API's shape and its flags.
type sealedShape struct {
	Enquiry map[string]any `json:"enquiry"`
	Flags   []intake.Flag  `json:"flags"`
}

// seedRow is one enquiry as the queue sees it.
type seedRow struct {
	reference, triage, status string
	crisis                    bool
	receivedAt                time.Time
}

// seedSpread draws the clear columns of the i-th seeded enquiry: received
// over the last five years; triage mostly routine and review; enquiries of
// the last fortnight mostly still new, older ones mostly worked through.
func seedSpread(r *rand.Rand, now time.Time) seedRow {
	const span = 5 * 365 * 24 * time.Hour
	age := time.Duration(r.Int64N(int64(span)))
	row := seedRow{receivedAt: now.Add(-age)}
	switch t := r.IntN(100); {
	case t < 55:
		row.triage = "routine"
	case t < 80:
		row.triage = "review"
	case t < 95:
		row.triage = "hold"
	default:
		row.triage = "urgent"
		row.crisis = r.IntN(2) == 0
	}
	s := r.IntN(100)
	if age < 14*24*time.Hour {
		s = s * 3 / 10 // seventy per cent stay new
		if s < 0 {
			s = 0
		}
		if r.IntN(10) < 7 {
			row.status = "new"
			return row
		}
	}
	switch {
	case s < 3:
		row.status = "new"
	case s < 23:
		row.status = "contacted"
	case s < 48:
		row.status = "scheduled"
	case s < 60:
		row.status = "not_suitable"
	default:
		row.status = "closed"
	}
	return row
}

// seedRulesVersion is the rule-set version seeded rows carry.
const seedRulesVersion = "default-2026.11-1"

// seed inserts n enquiries into the database at dbURL with COPY, each sealed
// under key (so the service can open the rows a page shows), with a unique
// reference, submission id and email hash. It returns a few references, for
// searches.
func seed(ctx context.Context, dbURL string, key []byte, n int) ([]string, error) {
	box, err := seal.New(key, nil)
	if err != nil {
		return nil, fmt.Errorf("data key: %w", err)
	}
	db, err := sqlx.Open("postgres", dbURL)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	defer db.Close()

	// A few plaintexts, one per triage profile, each sealed per row bound to
	// that row's clear columns (the GCM additional data), as the store does.
	r := rand.New(rand.NewPCG(42, 7))
	form := intake.DefaultForm()
	var plains [][]byte
	for _, p := range profiles {
		for range 4 {
			e := randomEnquiry(r, p)
			e.Answers.Set("message", questionnaire.Str(message(r, 600)))
			b, err := json.Marshal(sealedShape{Enquiry: form.EnquiryJSON(e), Flags: form.Screen(e.Answers).Flags})
			if err != nil {
				return nil, fmt.Errorf("encode enquiry: %w", err)
			}
			plains = append(plains, b)
		}
	}

	const batch = 100_000
	refs := map[string]struct{}{}
	// The enquiries the earlier parts stored keep their references.
	existing, err := db.QueryContext(ctx, `SELECT reference FROM enquiry`)
	if err != nil {
		return nil, fmt.Errorf("load references: %w", err)
	}
	for existing.Next() {
		var ref string
		if err := existing.Scan(&ref); err != nil {
			existing.Close()
			return nil, fmt.Errorf("load references: %w", err)
		}
		refs[ref] = struct{}{}
	}
	existing.Close()
	var samples []string
	now := time.Now().UTC()
	for done := 0; done < n; done += batch {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return nil, fmt.Errorf("begin seed: %w", err)
		}
		stmt, err := tx.PrepareContext(ctx, pq.CopyIn("enquiry", "reference", "submission_id", "triage", "crisis",
			"status", "rules_version", "key_id", "sealed", "seal_version", "email_hash", "consent_version", "consent_at",
			"received_at", "alert_sent_at", "confirmation_sent_at", "form_version_id"))
		if err != nil {
			tx.Rollback() //nolint:errcheck // the error above is the one to report
			return nil, fmt.Errorf("copy enquiry: %w", err)
		}
		for i := done; i < min(done+batch, n); i++ {
			row := seedSpread(r, now)
			row.reference = uniqueReference(r, refs)
			if len(samples) < 50 && r.IntN(n/50+1) == 0 {
				samples = append(samples, row.reference)
			}
			sub := uuid.NewString()
			sealed, keyID, err := box.Seal(plains[r.IntN(len(plains))], seal.EnquiryBinding{SubmissionID: sub,
				Reference: row.reference, Triage: row.triage, Crisis: row.crisis, RulesVersion: seedRulesVersion}.AAD(seal.EnquiryVersion))
			if err != nil {
				tx.Rollback() //nolint:errcheck // the error above is the one to report
				return nil, fmt.Errorf("seal: %w", err)
			}
			sent := row.receivedAt.Add(2 * time.Second)
			if _, err := stmt.ExecContext(ctx, row.reference, sub, row.triage, row.crisis, row.status,
				seedRulesVersion, keyID, sealed, seal.EnquiryVersion, box.EmailHash(fmt.Sprintf("person%d@example.org", i)),
				"2026-11", row.receivedAt, row.receivedAt, sent, sent, 1); err != nil {
				tx.Rollback() //nolint:errcheck // the error above is the one to report
				return nil, fmt.Errorf("copy row: %w", err)
			}
		}
		if _, err := stmt.ExecContext(ctx); err != nil {
			tx.Rollback() //nolint:errcheck // the error above is the one to report
			return nil, fmt.Errorf("copy flush: %w", err)
		}
		stmt.Close()
		if err := tx.Commit(); err != nil {
			return nil, fmt.Errorf("commit seed: %w", err)
		}
	}
	// Years of enquiries are a table autovacuum has long since visited:
	// statistics current and pages marked all-visible (index-only scans).
	if _, err := db.ExecContext(ctx, "VACUUM ANALYZE enquiry"); err != nil {
		return nil, fmt.Errorf("vacuum analyze: %w", err)
	}
	if len(samples) == 0 {
		for ref := range refs {
			samples = append(samples, ref)
			break
		}
	}
	return samples, nil
}

const referenceAlphabet = "23456789ABCDEFGHJKMNPQRSTWXYZ"

// uniqueReference draws a reference in intake's format that is not in seen.
func uniqueReference(r *rand.Rand, seen map[string]struct{}) string {
	for {
		var b [9]byte
		for i := range b {
			b[i] = referenceAlphabet[r.IntN(len(referenceAlphabet))]
		}
		b[4] = '-'
		s := string(b[:])
		if _, dup := seen[s]; !dup {
			seen[s] = struct{}{}
			return s
		}
	}
}
