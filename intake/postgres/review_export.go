package postgres

import (
	"context"

	"github.com/jmoiron/sqlx"

	"github.com/clinic/intake/intake"
)

// ExportQueue loads every enquiry the filter selects (all pages, the cursor
// ignored), decrypted, in queue order, with one query, and audits the
// export in the same transaction (intake.ExportService).
func (s *Store) ExportQueue(ctx context.Context, f intake.QueueFilter, by intake.Actor) ([]intake.Stored, error) {
	var out []intake.Stored
	err := s.inTx(ctx, "export enquiries", func(tx *sqlx.Tx) error {
		f.After = ""
		where, args := s.where(f)
		var rows []enquiryRow
		if err := tx.SelectContext(ctx, &rows, `SELECT `+enquiryColumns+` FROM enquiry e `+where+`
			ORDER BY `+triageRank+`, e.received_at, e.id`, args...); err != nil {
			return scrub("export enquiries", err)
		}
		out = make([]intake.Stored, 0, len(rows))
		for _, row := range rows {
			st, err := s.stored(ctx, row)
			if err != nil {
				return err
			}
			out = append(out, st)
		}
		return auditTx(ctx, tx, intake.AuditEntry{Actor: by.Name, Action: "export", Address: by.Address, Detail: "format=csv"})
	})
	return out, err
}

// ExportEnquiry loads one enquiry, decrypted, and audits its export (as
// FHIR) in the same transaction.
func (s *Store) ExportEnquiry(ctx context.Context, reference string, by intake.Actor) (intake.Stored, error) {
	var st intake.Stored
	err := s.inTx(ctx, "export enquiry", func(tx *sqlx.Tx) error {
		var err error
		if st, err = s.getTx(ctx, tx, reference); err != nil {
			return err
		}
		return auditTx(ctx, tx, intake.AuditEntry{Actor: by.Name, Action: "export", Address: by.Address,
			Reference: st.Reference, Detail: "format=fhir"})
	})
	return st, err
}
