// Command bench holds the intake service against the limits of what it is
// built on, on this machine, and prints one table: every figure is measured
// in the same run as its reference (pgbench with the store's own SQL, a plain
// file server, a plain go-mail loop), so ratios hold on a noisy machine.
//
//	bench [run] [-pg URL] [-d 10s] [-seed N] [-parts 1,5] [-max-load 1] [-settle 2m] [-profile DIR]
//	                                           build and start the service, measure, print the table
//	bench seed -n 1000000 -db URL -key BASE64  fill a database with enquiries using COPY
//
// `make bench` runs it; BENCHMARKS.md explains how to read the table.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/clinic/intake/intake/seal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := runMain(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
		os.Exit(1)
	}
}

func runMain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd := "run"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "run":
		var o options
		fs := flag.NewFlagSet("run", flag.ContinueOnError)
		fs.StringVar(&o.pg, "pg", "postgres://root@127.0.0.1:5432/postgres?sslmode=disable", "maintenance database of the Postgres server to create a fresh database on")
		fs.DurationVar(&o.d, "d", 10*time.Second, "duration of each load run")
		fs.IntVar(&o.conc, "c", 16, "concurrency of the submission run")
		fs.IntVar(&o.rate, "rate", 1000, "submissions per second of the fixed-rate run")
		fs.IntVar(&o.seedN, "seed", 1_000_000, "enquiries to seed for the admin queue")
		fs.IntVar(&o.mails, "mails", 5000, "staff alerts in the email drain")
		fs.StringVar(&o.parts, "parts", "1,2,3,4,5,6", "parts to run")
		fs.StringVar(&o.tokenField, "token-field", "form_token", "JSON field that carries a form token, when the service hands them out")
		fs.BoolVar(&o.keep, "keep", false, "keep the database and the work directory")
		fs.StringVar(&o.serviceBin, "service-bin", "", "a prebuilt intake binary to measure instead of building ./cmd/intake")
		fs.Float64Var(&o.maxLoad, "max-load", 1.0, "1-minute load average above which a part's start is too noisy to judge: its ratios print \"noisy\"")
		fs.DurationVar(&o.settle, "settle", 2*time.Minute, "before each part, wait up to this long for the load average to fall to -max-load (the previous part's own load falls by e each minute)")
		fs.StringVar(&o.profileDir, "profile", "", "directory to save a 10 s CPU profile of the service during parts 1, 2, 3 and 5 (PPROF=on); their top functions print after the table")
		if err := fs.Parse(args); err != nil {
			return err
		}
		return runBench(ctx, o, stdout, stderr)
	case "seed":
		fs := flag.NewFlagSet("seed", flag.ContinueOnError)
		n := fs.Int("n", 1_000_000, "enquiries to insert")
		dbURL := fs.String("db", "", "database URL (migrated)")
		key := fs.String("key", os.Getenv("DATA_KEY"), "DATA_KEY the service uses (base64)")
		if err := fs.Parse(args); err != nil {
			return err
		}
		k, err := seal.ParseKey(*key)
		if err != nil {
			return fmt.Errorf("-key: %w", err)
		}
		start := time.Now()
		if _, err := seed(ctx, *dbURL, k, *n); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "seeded %d enquiries in %v\n", *n, time.Since(start).Round(time.Millisecond))
		return nil
	}
	return fmt.Errorf("unknown command %q (run, seed)", cmd)
}

// options are the run command's flags.
type options struct {
	pg, parts, tokenField    string
	serviceBin, profileDir   string
	d, settle                time.Duration
	conc, rate, seedN, mails int
	maxLoad                  float64
	keep                     bool
}

func (o options) has(part string) bool {
	for p := range strings.SplitSeq(o.parts, ",") {
		if strings.TrimSpace(p) == part {
			return true
		}
	}
	return false
}
