package handlers

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/clinic/intake/handlers/chart"
	"github.com/clinic/intake/intake"
)

// dashboardPage is /admin/dashboard: the period's figures as charts, each
// with the same figures in a table beside it, and the headline numbers in
// words.
type dashboardPage struct {
	adminPage
	Days    int
	Periods []int
	From    time.Time
	Last    time.Time // the period's last day
	Zone    string
	// Headline figures.
	Received     int
	Due, Within  int    // enquiries due a first contact, and contacted within the deadline
	WithinShare  string // "85%", "" when none was due
	LateNow      int
	LateCapped   bool // one level or more has more than intake.CountCap
	FailedCapped bool // the period is longer than failed jobs are kept
	Deadlines    []deadlineRow
	Charts       []chart.Chart
}

// deadlineRow is one level's line of the deadline table.
type deadlineRow struct {
	Level                 intake.Level
	Deadline              string
	Received, Within, Due int
	Share                 string
}

// handleDashboard shows how fast the team answered over the last 7, 30 or
// 90 days (?days=), to staff and admins. The figures come from one query
// each (intake.OperationsService); the view is audited.
func (s *server) handleDashboard() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.Operations == nil {
			http.NotFound(w, r)
			return
		}
		days := intake.DashboardPeriods()[0]
		if n, err := strconv.Atoi(r.URL.Query().Get("days")); err == nil {
			for _, p := range intake.DashboardPeriods() {
				if n == p {
					days = n
				}
			}
		}
		now := s.now()
		period := intake.LastDays(days, now, s.Zone)
		d, err := s.Operations.Dashboard(r.Context(), period, actor(r))
		if err != nil {
			s.failAdmin(w, r, err)
			return
		}
		p := dashboardPage{adminPage: s.adminBase(r, "Dashboard"), Days: days, Periods: intake.DashboardPeriods(),
			From: period.Days[0], Last: period.Days[len(period.Days)-1], Zone: s.Zone.String(),
			FailedCapped: days > intake.FailedJobsKeptDays}
		p.Stylesheet = "chart.css"
		for _, n := range d.LateNow {
			p.LateNow += n
			p.LateCapped = p.LateCapped || n > intake.CountCap
		}
		for _, f := range d.Response {
			p.Received += f.Received
			p.Due += f.Due()
			p.Within += f.Contact.WithinDeadline
			p.Deadlines = append(p.Deadlines, deadlineRow{Level: f.Level, Deadline: intake.FormatAge(f.Deadline),
				Received: f.Received, Within: f.Contact.WithinDeadline, Due: f.Due(), Share: intake.Share(f.Contact.WithinDeadline, f.Due())})
		}
		p.WithinShare = intake.Share(p.Within, p.Due)
		p.Charts = dashboardCharts(d, days)
		s.render(w, r, http.StatusOK, "admin_dashboard", p)
	})
}

// seriesLevels are the stacked series, lowest level first: routine gets
// the solid style and urgent the cross-hatching, as in chart's sample.
var seriesLevels = []intake.Level{intake.Routine, intake.Review, intake.Hold, intake.Urgent}

// dashboardCharts draws the figures.
func dashboardCharts(d intake.Dashboard, days int) []chart.Chart {
	last := fmt.Sprintf("last %d days", days)

	labels := make([]string, len(d.PerDay))
	series := make([]chart.Series, len(seriesLevels))
	for j, l := range seriesLevels {
		series[j] = chart.Series{Name: l.String(), Values: make([]float64, len(d.PerDay))}
	}
	for i, day := range d.PerDay {
		labels[i] = day.Day.Format("2 Jan")
		for j, l := range seriesLevels {
			series[j].Values[i] = float64(day.ByLevel[l])
		}
	}
	perDay := chart.StackedBars("per-day", "Enquiries per day by triage, "+last, labels, series,
		chart.Options{Unit: "enquiries", Category: "Day", ValueAxis: "Enquiries per day", Empty: "No enquiries in this period."})

	minutes := func(v float64) string { return intake.FormatAge(time.Duration(v * float64(time.Minute))) }
	groups := func(stats func(intake.ResponseFigures) intake.ResponseStats) []chart.Group {
		var out []chart.Group
		for _, f := range d.Response {
			st := stats(f)
			g := chart.Group{Label: f.Level.String(), Values: []float64{math.NaN(), math.NaN()}, Reference: f.Deadline.Minutes()}
			if st.Count > 0 {
				g.Values = []float64{st.Median.Minutes(), st.P90.Minutes()}
			}
			out = append(out, g)
		}
		return out
	}
	opening := chart.ReferenceBars("opening", "Time to first opening against the deadline, "+last, []string{"Median", "90th pct"}, "deadline",
		groups(func(f intake.ResponseFigures) intake.ResponseStats { return f.Opening }),
		chart.Options{Category: "Triage", Format: minutes, Empty: "No enquiry of this period was opened yet."})
	contact := chart.ReferenceBars("contact", "Time to first contact against the deadline, "+last, []string{"Median", "90th pct"}, "deadline",
		groups(func(f intake.ResponseFigures) intake.ResponseStats { return f.Contact }),
		chart.Options{Category: "Triage", Format: minutes, Empty: "Nobody was contacted in this period yet."})

	funnel := chart.Funnel("funnel", "From new enquiry to outcome, "+last, []chart.Stage{
		{Label: "New", Count: d.Funnel.Received}, {Label: "Contacted", Count: d.Funnel.Contacted},
		{Label: "Scheduled", Count: d.Funnel.Scheduled}, {Label: "Not suitable", Count: d.Funnel.NotSuitable},
	}, chart.Options{Unit: "enquiries", Category: "Stage", Empty: "No enquiries in this period."})

	bars := make([]chart.Bar, len(d.TopFlags))
	for i, f := range d.TopFlags {
		bars[i] = chart.Bar{Label: f.Code + " — " + f.Reason, Value: float64(f.Count)}
	}
	// Not "flags": the enquiry page's #flags-title would clash in site.css.
	flags := chart.Bars("top-flags", "The ten most frequent flags, "+last, bars,
		chart.Options{Unit: "enquiries", Category: "Flag (rule code and reason)", Empty: "No flags in this period."})

	failed := "Failed deliveries (emails and webhooks)"
	if days > intake.FailedJobsKeptDays {
		failed = fmt.Sprintf("Failed deliveries, last %d days", intake.FailedJobsKeptDays)
	}
	problems := chart.Bars("problems", "Spam and failed deliveries, "+last, []chart.Bar{
		{Label: "Quarantined as possible spam", Value: float64(d.Quarantined)}, {Label: failed, Value: float64(d.FailedDeliveries)},
	}, chart.Options{Unit: "count", Category: "What", Empty: "Nothing quarantined and no failed deliveries."})

	return []chart.Chart{perDay, opening, contact, funnel, flags, problems}
}

// handleChartCSS serves the charts' stylesheet (chart.CSS) beside
// site.css, for the pages that show charts.
func (s *server) handleChartCSS() http.Handler {
	css := []byte(chart.CSS())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Write(css) //nolint:errcheck // the client went away
	})
}
