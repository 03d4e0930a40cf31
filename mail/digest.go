package mail

import (
	"context"
	"time"

	"github.com/clinic/intake/intake/jobs"
)

// DigestData is what the daily quarantine digest says: counts only.
type DigestData struct {
	New     int
	Pending int
	Link    string
}

// spamDigest tells staff how many enquiries were quarantined in the last day
// and how many wait in quarantine; nothing when both are zero.
func (d *Deliverer) spamDigest(ctx context.Context, _ jobs.SpamDigestArgs) (outgoing, error) {
	c, err := d.store.QuarantineCounts(ctx, time.Now().Add(-24*time.Hour))
	if err != nil {
		return outgoing{}, err
	}
	o := outgoing{name: "spam_digest", to: d.cfg.StaffEmails, data: DigestData{New: c.New, Pending: c.Pending, Link: d.cfg.PublicURL + "/admin/"},
		attrs: []any{"quarantined_new", c.New, "quarantined_pending", c.Pending}}
	if c.New == 0 && c.Pending == 0 {
		o.skip = "nothing quarantined"
	}
	return o, nil
}
