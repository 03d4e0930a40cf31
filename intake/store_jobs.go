package intake

import (
	"context"

	"github.com/lib/pq"
)

// References maps enquiry ids to their opaque references, for operator views
// of email jobs (whose arguments carry ids only). Ids of erased or purged
// enquiries are absent from the map.
func (s *Store) References(ctx context.Context, ids []int64) (map[int64]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, reference FROM enquiry WHERE id = ANY($1)`, pq.Array(ids))
	if err != nil {
		return nil, scrub("load references", err)
	}
	defer rows.Close()
	out := make(map[int64]string, len(ids))
	for rows.Next() {
		var id int64
		var ref string
		if err := rows.Scan(&id, &ref); err != nil {
			return nil, scrub("load references", err)
		}
		out[id] = ref
	}
	return out, scrub("load references", rows.Err())
}
