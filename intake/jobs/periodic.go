package jobs

import (
	"time"

	"github.com/riverqueue/river"

	"github.com/clinic/intake/intake"
)

// Periodic returns the periodic jobs, enqueued by whichever replica is the
// queue's leader: a retention pass every hour (and once when a replica
// becomes leader), the spam digest daily at digestHour (UTC), and, unless
// summary is nil, the admins' weekly summary on its schedule (WeeklyAt).
// zone is the clinic's time zone, in which weeks run.
func Periodic(digestHour int, summary river.PeriodicSchedule, zone *time.Location) []*river.PeriodicJob {
	jobs := []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return RetentionArgs{}, nil },
			&river.PeriodicJobOpts{ID: "retention", RunOnStart: true}),
		river.NewPeriodicJob(dailyAt(digestHour),
			func() (river.JobArgs, *river.InsertOpts) { return SpamDigestArgs{}, nil },
			&river.PeriodicJobOpts{ID: "spam_digest"}),
	}
	if summary != nil {
		jobs = append(jobs, river.NewPeriodicJob(summary,
			func() (river.JobArgs, *river.InsertOpts) { return SummaryOf(time.Now(), zone), nil },
			&river.PeriodicJobOpts{ID: "weekly_summary"}))
	}
	return jobs
}

// SummaryOf is the weekly summary due at t: that of the Monday-to-Sunday
// week before t's, in zone. Whenever in a week it is asked for, it names
// the same week, so its uniqueness holds however often the schedule fires.
func SummaryOf(t time.Time, zone *time.Location) WeeklySummaryArgs {
	return WeeklySummaryArgs{WeekOf: intake.WeekBefore(t, zone).From.Format(time.DateOnly)}
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

// WeeklyAt is a schedule that fires once a week, on Weekday at Hour:00 in
// Zone (the weekly summary: Monday 08:00 in CLINIC_TIMEZONE). On a day the
// clocks change it fires at that wall-clock hour all the same.
type WeeklyAt struct {
	Weekday time.Weekday
	Hour    int
	Zone    *time.Location
}

// Next returns the first firing strictly after t.
func (w WeeklyAt) Next(t time.Time) time.Time {
	local := t.In(w.Zone)
	ahead := (int(w.Weekday) - int(local.Weekday()) + 7) % 7
	y, m, d := local.Date()
	next := time.Date(y, m, d+ahead, w.Hour, 0, 0, 0, w.Zone)
	if !next.After(t) {
		next = time.Date(y, m, d+ahead+7, w.Hour, 0, 0, 0, w.Zone)
	}
	return next
}
