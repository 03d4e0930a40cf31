package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/jobs"
)

const jobsUsage = `usage:
  intake jobs list [--failed] [--limit N]   email jobs, newest first (--failed: refused or out of attempts)
  intake jobs retry ID                      send a failed email job again now
`

// jobsCmd is `intake jobs`: the operator's view of email deliveries, over
// the same job admin as the admin pages (intake/jobs).
func jobsCmd(ctx context.Context, cfg Config, args []string, by intake.Actor, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(jobsUsage)
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.closeDB()
	admin := jobs.NewAdmin(store.jobs, store)

	switch args[0] {
	case "list":
		fs := flag.NewFlagSet("jobs list", flag.ContinueOnError)
		fs.SetOutput(stderr)
		failed := fs.Bool("failed", false, "only jobs that failed for good")
		limit := fs.Int("limit", 100, "at most this many jobs")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		list, err := admin.List(ctx, *failed, *limit)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tKIND\tSTATE\tATTEMPTS\tREFERENCE\tCREATED\tLAST ERROR")
		for _, j := range list {
			ref := j.Reference
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
		j, err := admin.Retry(ctx, id, by)
		if errors.Is(err, intake.ErrNotFound) {
			return fmt.Errorf("no job %d (`intake jobs list --failed` shows the failed ones)", id)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "job %d (%s) is %s: it will be sent within seconds by a running replica\n", j.ID, j.Kind, j.State)
		return nil
	}
	return errors.New(jobsUsage)
}
