package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/clinic/intake/intake"
)

// forms caches published forms by id: a version never changes once
// published, so each is read and parsed once per process. live is the
// newest version this replica has seen.
type forms struct {
	mu   sync.Mutex
	byID map[int64]*intake.Form
	live *intake.Form
}

// formRow is a form_version row.
type formRow struct {
	ID            int64     `db:"id"`
	URL           string    `db:"url"`
	Version       string    `db:"version"`
	Questionnaire string    `db:"questionnaire"`
	Rules         string    `db:"rules"`
	SHA256        string    `db:"sha256"`
	SignedOffBy   string    `db:"signed_off_by"`
	PublishedBy   string    `db:"published_by"`
	PublishedAt   time.Time `db:"published_at"`
}

func (r formRow) version() intake.FormVersion {
	return intake.FormVersion{ID: r.ID, URL: r.URL, Version: r.Version, SHA256: r.SHA256, SignedOffBy: r.SignedOffBy,
		PublishedBy: r.PublishedBy, PublishedAt: r.PublishedAt}
}

// LiveForm returns the newest published form as this replica last saw it
// (intake.FormService); the first call reads it. WatchForms keeps it fresh.
func (s *Store) LiveForm(ctx context.Context) (*intake.Form, error) {
	s.forms.mu.Lock()
	live := s.forms.live
	s.forms.mu.Unlock()
	if live != nil {
		return live, nil
	}
	if _, err := s.RefreshLiveForm(ctx); err != nil {
		return nil, err
	}
	s.forms.mu.Lock()
	defer s.forms.mu.Unlock()
	return s.forms.live, nil
}

// RefreshLiveForm reads which version is live now and makes it this
// replica's live form, and reports whether it changed. One query when
// nothing did: the id of the newest version.
func (s *Store) RefreshLiveForm(ctx context.Context) (changed bool, err error) {
	var id int64
	if err := s.db.GetContext(ctx, &id, `SELECT max(id) FROM form_version`); err != nil {
		return false, scrub("live form version", err)
	}
	s.forms.mu.Lock()
	same := s.forms.live != nil && s.forms.live.ID == id
	s.forms.mu.Unlock()
	if same {
		return false, nil
	}
	f, err := s.Form(ctx, id)
	if err != nil {
		return false, err
	}
	s.forms.mu.Lock()
	defer s.forms.mu.Unlock()
	if s.forms.live != nil && s.forms.live.ID >= f.ID {
		return false, nil // another caller got here first
	}
	s.forms.live = f
	return true, nil
}

// WatchForms looks for a newly published version every interval until ctx
// ends, so that every replica serves it within that time without a
// restart. A failed look (the database away) keeps the form it has: the
// form page still shows while Postgres is down.
func (s *Store) WatchForms(ctx context.Context, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		changed, err := s.RefreshLiveForm(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("could not look for a new form version; serving the one loaded", "error", err.Error())
		case changed:
			f, _ := s.LiveForm(ctx)
			log.Info("serving a new form version", "form_version", f.ID, "version", f.Version())
		}
	}
}

// Form returns the published version with that id, parsed once and cached
// (intake.FormService). Returns intake.ErrNotFound when there is none.
func (s *Store) Form(ctx context.Context, id int64) (*intake.Form, error) {
	s.forms.mu.Lock()
	f, ok := s.forms.byID[id]
	s.forms.mu.Unlock()
	if ok {
		return f, nil
	}
	var row formRow
	err := s.db.GetContext(ctx, &row, `SELECT `+formColumns+` FROM form_version WHERE id = $1`, id)
	if isNoRows(err) {
		return nil, fmt.Errorf("form version %d: %w", id, intake.ErrNotFound)
	}
	if err != nil {
		return nil, scrub("load form version", err)
	}
	f, err = intake.LoadForm(row.ID, []byte(row.Questionnaire), []byte(row.Rules))
	if err != nil {
		return nil, err
	}
	s.forms.mu.Lock()
	defer s.forms.mu.Unlock()
	if s.forms.byID == nil {
		s.forms.byID = map[int64]*intake.Form{}
	}
	if cached, ok := s.forms.byID[id]; ok {
		return cached, nil
	}
	s.forms.byID[id] = f
	return f, nil
}

const formColumns = `id, url, version, questionnaire, rules, sha256, signed_off_by, published_by, published_at`

// FormVersions lists every published version, newest first
// (intake.FormService).
func (s *Store) FormVersions(ctx context.Context) ([]intake.FormVersion, error) {
	var rows []formRow
	if err := s.db.SelectContext(ctx, &rows, `SELECT `+formColumns+` FROM form_version ORDER BY id DESC`); err != nil {
		return nil, scrub("list form versions", err)
	}
	out := make([]intake.FormVersion, len(rows))
	for i, r := range rows {
		out[i] = r.version()
	}
	return out, nil
}

// PublishForm stores a checked form as the new live version and audits it,
// in one transaction (intake.FormService). The caller checks the form
// (intake.CheckForm) first: the store keeps what it is given.
func (s *Store) PublishForm(ctx context.Context, f *intake.Form, signedOffBy string, by intake.Actor) (intake.FormVersion, bool, error) {
	if signedOffBy == "" || by.Name == "" {
		return intake.FormVersion{}, false, errors.New("publish form: who signed it off and who publishes it are required")
	}
	var out intake.FormVersion
	published := false
	err := s.inTx(ctx, "publish form", func(tx *sqlx.Tx) error {
		// One publish at a time: two at once would both think they are
		// the next version.
		if _, err := tx.ExecContext(ctx, `LOCK TABLE form_version IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return scrub("lock form versions", err)
		}
		var live formRow
		if err := tx.GetContext(ctx, &live, `SELECT `+formColumns+` FROM form_version ORDER BY id DESC LIMIT 1`); err != nil {
			return scrub("load live form", err)
		}
		if live.SHA256 == f.SHA256() {
			out = live.version()
			return nil
		}
		published = true
		var id int64
		if err := tx.GetContext(ctx, &id, `SELECT nextval('form_version_id_seq')`); err != nil {
			return scrub("new form version", err)
		}
		var taken bool
		if err := tx.GetContext(ctx, &taken, `SELECT EXISTS (SELECT 1 FROM form_version WHERE url = $1 AND version = $2)`,
			f.Questionnaire.URL, f.Version()); err != nil {
			return scrub("look up form version", err)
		}
		pub := f
		if taken {
			var err error
			if pub, err = f.WithVersion(f.Version() + "-r" + strconv.FormatInt(id, 10)); err != nil {
				return fmt.Errorf("publish form: %w", err)
			}
		}
		row := formRow{ID: id, URL: pub.Questionnaire.URL, Version: pub.Version(), Questionnaire: string(pub.QuestionnaireJSON),
			Rules: string(pub.RulesJSON), SHA256: pub.SHA256(), SignedOffBy: signedOffBy, PublishedBy: by.Name, PublishedAt: s.now().UTC()}
		if _, err := tx.NamedExecContext(ctx, `
			INSERT INTO form_version (id, url, version, questionnaire, rules, sha256, signed_off_by, published_by, published_at)
			VALUES (:id, :url, :version, :questionnaire, :rules, :sha256, :signed_off_by, :published_by, :published_at)`, row); err != nil {
			return scrub("insert form version", err)
		}
		out = row.version()
		return auditTx(ctx, tx, intake.AuditEntry{Actor: by.Name, Action: "form_publish", Address: by.Address,
			Detail: fmt.Sprintf("form_version=%d version=%s sha256=%s signed_off_by=%s", id, row.Version, row.SHA256, signedOffBy)})
	})
	if err != nil {
		return intake.FormVersion{}, false, err
	}
	return out, published, nil
}
