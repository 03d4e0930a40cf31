package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os/user"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/mail"
)

const jobsUsage = `usage:
  intake jobs list [--failed] [--limit N]   email jobs, newest first (--failed: refused or out of attempts)
  intake jobs retry ID                      send a failed email job again now
`

// runJobs is `intake jobs`: the operator's view of email deliveries.
func runJobs(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(jobsUsage)
	}
	store, client, closeDB, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeDB()

	switch args[0] {
	case "list":
		fs := flag.NewFlagSet("jobs list", flag.ContinueOnError)
		fs.SetOutput(stderr)
		failed := fs.Bool("failed", false, "only jobs that failed for good")
		limit := fs.Int("limit", 100, "at most this many jobs")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		jobs, err := mail.ListJobs(ctx, client, *failed, *limit)
		if err != nil {
			return err
		}
		ids := make([]int64, len(jobs))
		for i, j := range jobs {
			ids[i] = j.EnquiryID
		}
		refs, err := store.References(ctx, ids)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tKIND\tSTATE\tATTEMPTS\tREFERENCE\tCREATED\tLAST ERROR")
		for _, j := range jobs {
			ref := refs[j.EnquiryID]
			if ref == "" {
				ref = "(removed)"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%d/%d\t%s\t%s\t%s\n", j.ID, j.Kind, j.State, j.Attempt, j.MaxAttempts, ref,
				j.CreatedAt.UTC().Format(time.RFC3339), j.LastError)
		}
		return tw.Flush()
	case "retry":
		if len(args) != 2 {
			return errors.New(jobsUsage)
		}
		id, err := strconv.ParseInt(args[1], 10, 64)
		if err != nil {
			return fmt.Errorf("job id %q is not a number\n%s", args[1], jobsUsage)
		}
		j, err := mail.RetryJob(ctx, client, id)
		if errors.Is(err, intake.ErrNotFound) {
			return fmt.Errorf("no job %d (`intake jobs list --failed` shows the failed ones)", id)
		}
		if err != nil {
			return err
		}
		refs, err := store.References(ctx, []int64{j.EnquiryID})
		if err != nil {
			return err
		}
		if err := store.Audit(ctx, intake.AuditEntry{Actor: cliActor(), Action: "retry_email_job",
			Reference: refs[j.EnquiryID], Detail: "job=" + strconv.FormatInt(id, 10) + " kind=" + j.Kind}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "job %d (%s) is %s: it will be sent within seconds by a running replica\n", j.ID, j.Kind, j.State)
		return nil
	}
	return errors.New(jobsUsage)
}

// cliActor names the operator in the audit log.
func cliActor() string {
	if u, err := user.Current(); err == nil {
		return "cli:" + u.Username
	}
	return "cli"
}
