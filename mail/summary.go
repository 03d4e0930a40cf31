package mail

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/jobs"
)

// SummaryData is what the admins' weekly summary says: counts and times
// per triage level, the references of the enquiries late now, and the
// failed deliveries. No name, contact detail, answer or flag: like every
// staff email, it carries nothing about a person but a reference.
type SummaryData struct {
	Clinic    string
	WeekOf    string // "23 Nov 2026", for the subject
	From, To  string // "Monday 23 November 2026"
	Zone      string
	Rows      []SummaryRow
	Received  int
	Due       int
	Within    int
	Share     string // "85%", "" when none was due
	Late      []string
	LateTotal int
	LateMore  int // late enquiries not listed
	Failed    int
	QueueLink string // the late enquiries in the admin queue
	JobsLink  string // the failed deliveries
	DashLink  string
}

// SummaryRow is one triage level's line of the summary.
type SummaryRow struct {
	Triage    string
	Received  int
	Deadline  string
	Within    int
	Due       int
	Share     string
	Median    string // time to first contact; "-" when nobody was contacted
	P90       string
	Contacted int
}

// RegisterSummary adds the weekly summary's worker to w: the figures come
// from ops, and the email goes to the active admin accounts.
func (d *Deliverer) RegisterSummary(w *river.Workers, ops intake.OperationsService) {
	river.AddWorker(w, &emailWorker[jobs.WeeklySummaryArgs]{d: d, load: func(ctx context.Context, args jobs.WeeklySummaryArgs) (outgoing, error) {
		return d.weeklySummary(ctx, ops, args)
	}})
}

// weeklySummary loads the summary of the week the job names, in the
// clinic's time zone (mail.Config.Location).
func (d *Deliverer) weeklySummary(ctx context.Context, ops intake.OperationsService, args jobs.WeeklySummaryArgs) (outgoing, error) {
	first, err := time.ParseInLocation(time.DateOnly, args.WeekOf, d.cfg.Location)
	if err != nil {
		return outgoing{}, river.JobCancel(fmt.Errorf("weekly summary: week %q: %w", args.WeekOf, err))
	}
	week := intake.WeekStarting(first)
	sum, err := ops.WeeklySummary(ctx, week)
	if err != nil {
		return outgoing{}, err
	}
	to, err := ops.SummaryRecipients(ctx)
	if err != nil {
		return outgoing{}, err
	}
	data := NewSummaryData(sum, d.cfg.ClinicName, d.cfg.PublicURL)
	o := outgoing{name: "weekly_summary", to: to, data: data,
		attrs: []any{"week_of", args.WeekOf, "received", data.Received, "late", data.LateTotal, "failed_deliveries", data.Failed}}
	if len(to) == 0 {
		o.skip = "no active admin account"
	}
	return o, nil
}

// NewSummaryData words a week's figures for the summary's templates.
func NewSummaryData(sum intake.WeeklySummary, clinic, publicURL string) SummaryData {
	last := sum.Week.Days[len(sum.Week.Days)-1]
	data := SummaryData{Clinic: clinic, WeekOf: sum.Week.From.Format("2 Jan 2006"),
		From: sum.Week.From.Format("Monday 2 January 2006"), To: last.Format("Monday 2 January 2006"),
		Zone: sum.Week.From.Location().String(), LateTotal: sum.LateTotal, Failed: sum.FailedDeliveries,
		QueueLink: publicURL + "/admin/enquiries?late=only", JobsLink: publicURL + "/admin/jobs", DashLink: publicURL + "/admin/dashboard"}
	for _, r := range sum.Response {
		row := SummaryRow{Triage: r.Level.String(), Received: r.Received, Deadline: intake.FormatAge(r.Deadline),
			Within: r.Contact.WithinDeadline, Due: r.Due(), Share: intake.Share(r.Contact.WithinDeadline, r.Due()),
			Median: "-", P90: "-", Contacted: r.Contact.Count}
		if r.Contact.Count > 0 {
			row.Median, row.P90 = intake.FormatAge(r.Contact.Median), intake.FormatAge(r.Contact.P90)
		}
		data.Rows = append(data.Rows, row)
		data.Received, data.Due, data.Within = data.Received+r.Received, data.Due+r.Due(), data.Within+r.Contact.WithinDeadline
	}
	data.Share = intake.Share(data.Within, data.Due)
	for _, l := range sum.Late {
		data.Late = append(data.Late, l.Reference)
	}
	data.LateMore = sum.LateTotal - len(data.Late)
	return data
}
