package jobs

import (
	"time"

	"github.com/riverqueue/river"
)

// Periodic returns the periodic jobs, enqueued by whichever replica is the
// queue's leader: a retention pass every hour (and once when a replica
// becomes leader), and the spam digest daily at digestHour (UTC).
func Periodic(digestHour int) []*river.PeriodicJob {
	return []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return RetentionArgs{}, nil },
			&river.PeriodicJobOpts{ID: "retention", RunOnStart: true}),
		river.NewPeriodicJob(dailyAt(digestHour),
			func() (river.JobArgs, *river.InsertOpts) { return SpamDigestArgs{}, nil },
			&river.PeriodicJobOpts{ID: "spam_digest"}),
	}
}

// dailyAt is a schedule that fires once a day at the given hour, UTC.
type dailyAt int

func (h dailyAt) Next(t time.Time) time.Time {
	t = t.UTC()
	next := time.Date(t.Year(), t.Month(), t.Day(), int(h), 0, 0, 0, time.UTC)
	if !next.After(t) {
		next = next.Add(24 * time.Hour)
	}
	return next
}
