package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/locale"
	"github.com/clinic/intake/intake/questionnaire"
)

const formUsage = `usage:
  intake form export DIR                           write the live form (questionnaire.json, rules.json) into DIR
  intake form check DIR                            check DIR/questionnaire.json and DIR/rules.json together:
                                                   every problem with its file and path; exit 1 if any
  intake form publish DIR --signed-off-by "NAME"   check, then store DIR's form as the new live version
                                                   (audited); every replica serves it within FORM_POLL_INTERVAL
  intake form list                                 every published version, the live one first
`

// formCmd is `intake form`: how a clinic changes its form without code.
// export gives the files to edit, check says what is wrong with them,
// publish stores them as the live version once a clinician has signed
// them off, list shows the history.
func formCmd(ctx context.Context, cfg Config, args []string, by intake.Actor, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(formUsage)
	}
	switch args[0] {
	case "check":
		if len(args) != 2 {
			return errors.New(formUsage)
		}
		f, err := checkFormDir(args[1], stdout)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: no problems: version %s, %d questions, %d rules, languages %s\n", args[1], f.Version(),
			len(f.Questionnaire.Questions()), len(f.Rules.Rules), strings.Join(f.Questionnaire.Languages(), ", "))
		return nil
	case "publish":
		return publishForm(ctx, cfg, args[1:], by, stdout, stderr)
	case "export":
		if len(args) != 2 {
			return errors.New(formUsage)
		}
		return exportForm(ctx, cfg, args[1], stdout)
	case "list":
		return listForms(ctx, cfg, stdout)
	}
	return errors.New(formUsage)
}

// checkFormDir reads and checks the form in dir, printing every problem,
// one a line, with its file and JSON path.
func checkFormDir(dir string, stdout io.Writer) (*intake.Form, error) {
	q, errQ := os.ReadFile(filepath.Join(dir, intake.QuestionnaireFile))
	r, errR := os.ReadFile(filepath.Join(dir, intake.RulesFile))
	if err := errors.Join(errQ, errR); err != nil {
		return nil, fmt.Errorf("form check: %w", err)
	}
	f, problems := intake.ParseForm(q, r)
	if f != nil {
		problems = append(problems, languageProblems(f.Questionnaire)...)
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(stdout, p)
		}
		return nil, fmt.Errorf("form check: %d problem(s) in %s", len(problems), dir)
	}
	return f, nil
}

// languageProblems reports a language the form declares that the service
// has no message files in: its pages would show the form in it and
// everything else in English.
func languageProblems(q *questionnaire.Questionnaire) intake.FormProblems {
	msgs, err := locale.Load()
	if err != nil {
		return intake.FormProblems{{File: intake.QuestionnaireFile, Message: err.Error()}}
	}
	var out intake.FormProblems
	for _, l := range q.Languages() {
		if _, ok := msgs.Supported(l); !ok {
			out = append(out, intake.FormProblem{File: intake.QuestionnaireFile, Path: "extension",
				Message: fmt.Sprintf("language %q: the service's pages are written in %s only (intake/locale)", l, strings.Join(msgs.Languages(), ", "))})
		}
	}
	return out
}

func publishForm(ctx context.Context, cfg Config, args []string, by intake.Actor, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("form publish", flag.ContinueOnError)
	fs.SetOutput(stderr)
	signedOff := fs.String("signed-off-by", "", "the clinician who signed the form off (required)")
	if len(args) == 0 {
		return errors.New(formUsage)
	}
	dir := args[0]
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() != 0 {
		return errors.New(formUsage)
	}
	if strings.TrimSpace(*signedOff) == "" {
		return errors.New(`form publish: --signed-off-by "NAME" is required: the clinician who signed this form off`)
	}
	f, err := checkFormDir(dir, stdout)
	if err != nil {
		return fmt.Errorf("%w: nothing was published", err)
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.closeDB()
	v, published, err := store.PublishForm(ctx, f, strings.TrimSpace(*signedOff), by)
	if err != nil {
		return err
	}
	if !published {
		fmt.Fprintf(stdout, "nothing to publish: the live version %d (%s) already is this form\n", v.ID, v.Version)
		return nil
	}
	if v.Version != f.Version() {
		fmt.Fprintf(stdout, "version %q was published before with other content: this one is %q\n", f.Version(), v.Version)
	}
	fmt.Fprintf(stdout, "published form version %d (%s), signed off by %s, published by %s; sha256 %s\n",
		v.ID, v.Version, v.SignedOffBy, v.PublishedBy, v.SHA256)
	fmt.Fprintf(stdout, "every running replica serves it within its FORM_POLL_INTERVAL (%s by this environment)\n", cfg.FormPollInterval)
	return nil
}

func exportForm(ctx context.Context, cfg Config, dir string, stdout io.Writer) error {
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.closeDB()
	if _, err := store.RefreshLiveForm(ctx); err != nil {
		return err
	}
	f, err := store.LiveForm(ctx)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("form export: %w", err)
	}
	for name, data := range map[string][]byte{intake.QuestionnaireFile: f.QuestionnaireJSON, intake.RulesFile: f.RulesJSON} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return fmt.Errorf("form export: %w", err)
		}
	}
	fmt.Fprintf(stdout, "exported the live form, version %d (%s), to %s/%s and %s/%s\n", f.ID, f.Version(),
		dir, intake.QuestionnaireFile, dir, intake.RulesFile)
	return nil
}

func listForms(ctx context.Context, cfg Config, stdout io.Writer) error {
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.closeDB()
	versions, err := store.FormVersions(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tVERSION\tPUBLISHED\tBY\tSIGNED OFF BY\tSHA256\t")
	for i, v := range versions {
		live := ""
		if i == 0 {
			live = "live"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", v.ID, v.Version, v.PublishedAt.UTC().Format(time.RFC3339), v.PublishedBy,
			v.SignedOffBy, v.SHA256[:12], live)
	}
	return tw.Flush()
}
