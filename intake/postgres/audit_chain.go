package postgres

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/clinic/intake/intake"
)

// VerifyAudit reads the audit log in chain order and checks each row's
// place and hash, recomputed here with the database's encoding (migration
// 00074), so a row changed, inserted or removed by someone who got past the
// append-only triggers shows as the first link that does not hold. If want is not zero, the row at want.Seq must also still
// carry want.Hash (a head recorded earlier). It stops at the first broken
// link.
func (s *Store) VerifyAudit(ctx context.Context, want intake.AuditLink) (intake.AuditCheck, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT id, seq, hash, at, actor, action, address, reference, detail
		FROM audit_log ORDER BY seq`)
	if err != nil {
		return intake.AuditCheck{}, scrub("read audit log", err)
	}
	defer rows.Close()
	var c intake.AuditCheck
	prev := []byte{}
	for rows.Next() {
		var r auditChainRow
		if err := rows.Scan(&r.ID, &r.Seq, &r.Hash, &r.At, &r.Actor, &r.Action, &r.Address, &r.Reference, &r.Detail); err != nil {
			return c, scrub("read audit log", err)
		}
		brk := func(reason string, args ...any) (intake.AuditCheck, error) {
			c.Broken = &intake.AuditBreak{ID: r.ID, Seq: r.Seq, Reason: fmt.Sprintf(reason, args...)}
			return c, nil
		}
		switch {
		case r.Seq != c.Head.Seq+1:
			return brk("expected row %d of the chain here: %d row(s) before it are missing or it was renumbered", c.Head.Seq+1, r.Seq-c.Head.Seq-1)
		case !bytes.Equal(r.Hash, r.chainHash(prev)):
			return brk("its hash does not match its contents and the row before it: it (or the row before it) was changed")
		case want.Seq == r.Seq && !bytes.Equal(r.Hash, want.Hash):
			return brk("it no longer carries the hash recorded for it: history up to it was rewritten")
		}
		c.Rows++
		c.Head = intake.AuditLink{ID: r.ID, Seq: r.Seq, Hash: r.Hash}
		prev = r.Hash
	}
	if err := rows.Err(); err != nil {
		return c, scrub("read audit log", err)
	}
	if want.Seq > c.Head.Seq {
		c.Broken = &intake.AuditBreak{Seq: want.Seq, Reason: fmt.Sprintf("the recorded head, row %d, is gone: the log ends at row %d", want.Seq, c.Head.Seq)}
	}
	return c, nil
}

type auditChainRow struct {
	ID, Seq                                   int64
	Hash                                      []byte
	At                                        time.Time
	Actor, Action, Address, Reference, Detail string
}

// chainHash is audit_log_row_hash (migration 00074): SHA-256 over the
// previous hash; id, seq and the time in microseconds as 8-byte big-endian
// integers; then each text column as its 4-byte big-endian length and bytes.
func (r auditChainRow) chainHash(prev []byte) []byte {
	b := append([]byte{}, prev...)
	for _, n := range []int64{r.ID, r.Seq, r.At.UnixMicro()} {
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	for _, f := range []string{r.Actor, r.Action, r.Address, r.Reference, r.Detail} {
		b = binary.BigEndian.AppendUint32(b, uint32(len(f)))
		b = append(b, f...)
	}
	sum := sha256.Sum256(b)
	return sum[:]
}
