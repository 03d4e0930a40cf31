package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	// The IANA time zone database, built in: CLINIC_TIMEZONE works on an
	// image without /usr/share/zoneinfo.
	_ "time/tzdata"

	"github.com/riverqueue/river"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/jobs"
)

// OperationsConfig is staff operations: the response deadlines, the
// clinic's time zone, the weekly summary and the booking link.
type OperationsConfig struct {
	// Deadlines per triage level (DEADLINE_URGENT, DEADLINE_HOLD,
	// DEADLINE_REVIEW, DEADLINE_ROUTINE).
	Deadlines intake.Deadlines
	// Zone is CLINIC_TIMEZONE (an IANA name, default UTC): the dashboard's
	// days, the weekly summary's schedule and week, and dates in emails.
	Zone *time.Location
	// Summary is SUMMARY_EMAIL: weekly (default) or off.
	Summary string
	// SummaryTestInterval (SUMMARY_TEST_INTERVAL, development only) makes
	// the summary's schedule fire every interval instead of Monday 08:00,
	// to try it or test it; it is still sent once per week.
	SummaryTestInterval time.Duration
	// BookingURL is offered to routine enquirers ({reference} replaced);
	// empty offers none.
	BookingURL string
}

// loadOperations reads the staff-operations variables.
func loadOperations(getenv func(string) string, get func(name, def string) string) (OperationsConfig, []error) {
	var errs []error
	c := OperationsConfig{Summary: strings.ToLower(get("SUMMARY_EMAIL", "weekly")), BookingURL: get("BOOKING_URL", "")}
	d, err := intake.ParseDeadlines(getenv)
	if err != nil {
		errs = append(errs, err)
	}
	c.Deadlines = d
	name := get("CLINIC_TIMEZONE", "UTC")
	zone, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		errs = append(errs, fmt.Errorf("CLINIC_TIMEZONE=%q is not a time zone: set it to an IANA name such as Europe/London or America/New_York", name))
		zone = time.UTC
	}
	c.Zone = zone
	if s := get("SUMMARY_TEST_INTERVAL", ""); s != "" {
		if c.SummaryTestInterval, err = time.ParseDuration(s); err != nil {
			errs = append(errs, fmt.Errorf("SUMMARY_TEST_INTERVAL=%q is not a duration", s))
		}
	}
	return c, errs
}

// validate checks the settings as a whole.
func (c OperationsConfig) validate(production bool) []error {
	var errs []error
	switch c.Summary {
	case "weekly", "off":
	default:
		errs = append(errs, fmt.Errorf("SUMMARY_EMAIL=%q: set it to weekly or off", c.Summary))
	}
	if err := intake.ParseBookingURL(c.BookingURL); err != nil {
		errs = append(errs, fmt.Errorf("BOOKING_URL %w", err))
	}
	switch {
	case c.SummaryTestInterval == 0:
	case production:
		errs = append(errs, errors.New("SUMMARY_TEST_INTERVAL is for trying the summary in development: unset it in production (the summary goes on Mondays at 08:00)"))
	case c.SummaryTestInterval < 100*time.Millisecond:
		errs = append(errs, errors.New("SUMMARY_TEST_INTERVAL must be at least 100ms"))
	}
	return errs
}

// summarySchedule is when the weekly summary is due: Monday 08:00 in the
// clinic's time zone, every SummaryTestInterval in a trial, or never (nil)
// with SUMMARY_EMAIL=off.
func (c OperationsConfig) summarySchedule() river.PeriodicSchedule {
	switch {
	case c.Summary == "off":
		return nil
	case c.SummaryTestInterval > 0:
		return river.PeriodicInterval(c.SummaryTestInterval)
	}
	return jobs.WeeklyAt{Weekday: time.Monday, Hour: 8, Zone: c.Zone}
}
