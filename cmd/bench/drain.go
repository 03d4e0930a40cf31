package main

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
	gomail "github.com/wneessen/go-mail"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/jobs"
	"github.com/clinic/intake/intake/locale"
	"github.com/clinic/intake/mail"
)

// staffEmails is who the benchmark's staff alerts go to (STAFF_EMAILS).
var staffEmails = []string{"staff@clinic.test", "duty@clinic.test"}

// queueAlerts inserts one available staff_alert job for each of the first
// n enquiries, in one statement, the way River itself stores them; the
// service's running workers pick them up at their next fetch. Fewer than n
// enquiries is an error: the drain would wait for mail never queued.
func queueAlerts(ctx context.Context, db *sqlx.DB, n int) error {
	res, err := db.ExecContext(ctx, `
		INSERT INTO river_job (args, kind, max_attempts, priority, queue, state, scheduled_at)
		SELECT jsonb_build_object('enquiry_id', id), 'staff_alert', $1, 1, $2, 'available', now()
		FROM (SELECT id FROM enquiry ORDER BY id LIMIT $3) e`, jobs.MailMaxAttempts, jobs.MailQueue, n)
	if err != nil {
		return fmt.Errorf("queue alerts: %w", err)
	}
	if queued, err := res.RowsAffected(); err != nil || queued != int64(n) {
		return fmt.Errorf("queue alerts: %d of %d queued (%v): too few enquiries in the database", queued, n, err)
	}
	return nil
}

// alertMessages builds the same staff alerts the service would send for the
// first n enquiries, with the service's own templates and builder.
func alertMessages(ctx context.Context, db *sqlx.DB, n int) ([]*gomail.Msg, error) {
	var rows []struct {
		ID         int64     `db:"id"`
		Reference  string    `db:"reference"`
		Triage     string    `db:"triage"`
		ReceivedAt time.Time `db:"received_at"`
	}
	if err := db.SelectContext(ctx, &rows, `
		SELECT id, reference, triage, received_at FROM enquiry ORDER BY id LIMIT $1`, n); err != nil {
		return nil, fmt.Errorf("load alerts: %w", err)
	}
	words, err := locale.Load()
	if err != nil {
		return nil, fmt.Errorf("messages: %w", err)
	}
	tmpl, err := mail.ParseTemplates(words)
	if err != nil {
		return nil, fmt.Errorf("mail templates: %w", err)
	}
	msgs := make([]*gomail.Msg, 0, len(rows))
	for _, row := range rows {
		triage, _ := intake.ParseLevel(row.Triage)
		a := intake.AlertInfo{ID: row.ID, Reference: row.Reference, Triage: triage, ReceivedAt: row.ReceivedAt}
		r, err := tmpl.Render("staff_alert", "en", mail.NewAlertData(a, "http://localhost:8080", time.UTC))
		if err != nil {
			return nil, fmt.Errorf("render alert: %w", err)
		}
		m, err := mail.Build(mail.Envelope{From: "enquiries@localhost", To: staffEmails,
			MessageID: "staff-alert-" + strconv.FormatInt(a.ID, 10) + "@localhost"}, r)
		if err != nil {
			return nil, fmt.Errorf("build alert: %w", err)
		}
		msgs = append(msgs, m)
	}
	return msgs, nil
}

// goMailLoop sends msgs one after the other over one SMTP connection and
// returns once Mailpit holds all of them.
func goMailLoop(ctx context.Context, mp *mailpit, msgs []*gomail.Msg) (time.Duration, error) {
	if err := mp.deleteAll(); err != nil {
		return 0, err
	}
	c, err := gomail.NewClient("127.0.0.1", gomail.WithPort(mp.smtpPort), gomail.WithTLSPolicy(gomail.NoTLS),
		gomail.WithTimeout(30*time.Second))
	if err != nil {
		return 0, fmt.Errorf("go-mail client: %w", err)
	}
	start := time.Now()
	if err := c.DialWithContext(ctx); err != nil {
		return 0, fmt.Errorf("go-mail dial: %w", err)
	}
	for _, m := range msgs {
		if err := c.Send(m); err != nil {
			c.Close()
			return 0, fmt.Errorf("go-mail send: %w", err)
		}
	}
	if err := c.Close(); err != nil {
		return 0, fmt.Errorf("go-mail close: %w", err)
	}
	done, err := mp.waitCount(ctx, len(msgs), 5*time.Minute, nil)
	if err != nil {
		return 0, err
	}
	return done.Sub(start), nil
}

// serviceDrain queues n staff alerts for the running service and returns
// once Mailpit holds all of them.
func serviceDrain(ctx context.Context, db *sqlx.DB, mp *mailpit, n int) (time.Duration, error) {
	if err := mp.deleteAll(); err != nil {
		return 0, err
	}
	if err := resetAlerts(ctx, db, n); err != nil {
		return 0, err
	}
	start := time.Now()
	if err := queueAlerts(ctx, db, n); err != nil {
		return 0, err
	}
	done, err := mp.waitCount(ctx, n, 10*time.Minute, func() error { return alertsLost(ctx, db) })
	if err != nil {
		return 0, err
	}
	return done.Sub(start), nil
}

// resetAlerts marks the first n enquiries' staff alerts as not sent:
// seeded enquiries count as alerted, and the worker would rightly skip them.
func resetAlerts(ctx context.Context, db *sqlx.DB, n int) error {
	if _, err := db.ExecContext(ctx, `
		UPDATE enquiry SET alert_sent_at = NULL
		WHERE id IN (SELECT id FROM enquiry ORDER BY id LIMIT $1)`, n); err != nil {
		return fmt.Errorf("reset alerts: %w", err)
	}
	return nil
}

// alertsLost is an error once a staff alert job ended without its email
// (cancelled or discarded: its enquiry gone, say), so that the drain stops
// at once instead of waiting for mail that will never come.
func alertsLost(ctx context.Context, db *sqlx.DB) error {
	var lost int
	if err := db.GetContext(ctx, &lost, `
		SELECT count(*) FROM river_job WHERE kind = 'staff_alert' AND state IN ('cancelled', 'discarded')`); err != nil {
		return fmt.Errorf("count lost alerts: %w", err)
	}
	if lost > 0 {
		return fmt.Errorf("%d staff alert jobs ended without sending (cancelled or discarded): see the service's log", lost)
	}
	return nil
}
