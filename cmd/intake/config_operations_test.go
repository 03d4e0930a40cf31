package main

import (
	"strings"
	"testing"
	"time"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/jobs"
)

// TestOperationsConfig: the deadlines, CLINIC_TIMEZONE, SUMMARY_EMAIL and
// BOOKING_URL have their defaults, and a bad value stops the start with an
// error naming the variable.
func TestOperationsConfig(t *testing.T) {
	t.Parallel()
	load := loadConfig
	c, err := load(nil)
	if err != nil {
		t.Fatal(err)
	}
	o := c.Operations
	if o.Deadlines != intake.DefaultDeadlines() || o.Zone != time.UTC || o.Summary != "weekly" || o.BookingURL != "" {
		t.Errorf("defaults %+v", o)
	}
	if s, ok := o.summarySchedule().(jobs.WeeklyAt); !ok || s.Weekday != time.Monday || s.Hour != 8 || s.Zone != time.UTC {
		t.Errorf("the summary's schedule is %#v, want Mondays at 08:00 UTC", o.summarySchedule())
	}
	prod := map[string]string{"APP_ENV": "production", "DATA_KEY": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "STAFF_EMAILS": "a@b.c",
		"PUBLIC_URL": "https://intake.example.org"}
	with := func(base map[string]string, k, v string) map[string]string {
		out := map[string]string{k: v}
		for bk, bv := range base {
			out[bk] = bv
		}
		return out
	}
	for _, tc := range []struct {
		env  map[string]string
		want string // "" for valid
	}{
		{map[string]string{"DEADLINE_URGENT": "10m", "DEADLINE_ROUTINE": "72h"}, ""},
		{map[string]string{"DEADLINE_URGENT": "15"}, "DEADLINE_URGENT"},
		{map[string]string{"DEADLINE_URGENT": "15h"}, "DEADLINE_URGENT=15h0m0s is longer than DEADLINE_HOLD"},
		{map[string]string{"DEADLINE_REVIEW": "-1h"}, "DEADLINE_REVIEW"},
		{map[string]string{"CLINIC_TIMEZONE": "Europe/London"}, ""},
		{map[string]string{"CLINIC_TIMEZONE": "Mars/Olympus"}, "CLINIC_TIMEZONE"},
		{map[string]string{"CLINIC_TIMEZONE": "Local"}, "CLINIC_TIMEZONE"},
		{map[string]string{"SUMMARY_EMAIL": "off"}, ""},
		{map[string]string{"SUMMARY_EMAIL": "daily"}, "SUMMARY_EMAIL"},
		{map[string]string{"BOOKING_URL": "https://book.example.org/consult?ref={reference}"}, ""},
		{map[string]string{"BOOKING_URL": "javascript:alert(1)"}, "BOOKING_URL"},
		{map[string]string{"BOOKING_URL": "http://book.example.org/"}, "BOOKING_URL"},
		{map[string]string{"SUMMARY_TEST_INTERVAL": "1s"}, ""},
		{map[string]string{"SUMMARY_TEST_INTERVAL": "1ms"}, "SUMMARY_TEST_INTERVAL"},
		{map[string]string{"SUMMARY_TEST_INTERVAL": "soon"}, "SUMMARY_TEST_INTERVAL"},
		{with(prod, "SUMMARY_TEST_INTERVAL", "1s"), "SUMMARY_TEST_INTERVAL"},
		{prod, ""},
	} {
		_, err := load(tc.env)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%v: %v", tc.env, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%v: error %v, want one naming %s", tc.env, err, tc.want)
		}
	}
	c, _ = load(map[string]string{"SUMMARY_EMAIL": "OFF"})
	if c.Operations.summarySchedule() != nil {
		t.Errorf("SUMMARY_EMAIL=OFF still schedules the summary")
	}
	c, _ = load(map[string]string{"SUMMARY_TEST_INTERVAL": "250ms", "CLINIC_TIMEZONE": "Asia/Tokyo"})
	if s := c.Operations.summarySchedule(); s == nil || s.Next(time.Unix(0, 0)).Sub(time.Unix(0, 0)) != 250*time.Millisecond {
		t.Errorf("SUMMARY_TEST_INTERVAL=250ms does not fire every 250ms")
	}
}
