package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"time"

	"github.com/riverqueue/river"

	"github.com/clinic/intake/handlers"
	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/mail"
)

// formTokens builds the form-token signer. Its key is FORM_TOKEN_KEY, or
// else derived from DATA_KEY, so replicas sharing DATA_KEY accept each
// other's tokens without another secret to distribute.
func formTokens(cfg Config, box *intake.Box) (*intake.FormTokens, error) {
	key := cfg.FormTokenKey
	if key == nil {
		key = box.Derive("form token v1")
	}
	t, err := intake.NewFormTokens(key, time.Duration(cfg.SpamMinSeconds)*time.Second)
	if err != nil {
		return nil, fmt.Errorf("FORM_TOKEN_KEY: %w", err)
	}
	return t, nil
}

func trustedProxies(cfg Config) []netip.Prefix {
	p, _ := handlers.ParseProxies(cfg.TrustedProxies) // checked by Config.Validate
	return p
}

// addMaintenance registers the retention and digest workers and returns the
// periodic jobs that drive them.
func addMaintenance(cfg Config, store *intake.Store, d *mail.Deliverer, w *river.Workers, log *slog.Logger) []*river.PeriodicJob {
	river.AddWorker(w, &intake.RetentionWorker{Store: store, Days: cfg.RetentionDays, Log: log})
	d.AddDigestWorker(w)
	return []*river.PeriodicJob{intake.RetentionJob(), mail.DigestJob(cfg.SpamDigestHour)}
}

const hardeningUsage = `  rotate-key            re-encrypt every enquiry under DATA_KEY (DATA_KEY_PREVIOUS still read)
  purge                 purge enquiries older than RETENTION_DAYS that never reached scheduled
  spam list             list quarantined enquiries' references
  spam release REF      release a quarantined enquiry into the normal queue
`

// runHardeningCmd runs the operator commands of the hardening issue. Each
// migrates first, so it works on a fresh database, and audits what it did.
func runHardeningCmd(ctx context.Context, cmd string, args []string, cfg Config, getenv func(string) string, stdout io.Writer) error {
	store, _, closeDB, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeDB()
	actor := "cli:" + getenv("USER")
	if getenv("USER") == "" {
		actor = "cli"
	}
	switch cmd {
	case "rotate-key":
		if cfg.DataKeyPrevious == nil {
			fmt.Fprintln(stdout, "note: DATA_KEY_PREVIOUS is unset; only rows already readable with DATA_KEY can be rotated")
		}
		n, err := store.RotateKeys(ctx, actor)
		if err != nil {
			return fmt.Errorf("rotate-key: %w (rotated %d before stopping; run it again after fixing)", err, n)
		}
		fmt.Fprintf(stdout, "re-encrypted %d enquiries, notes and two-factor secrets under key %s\n", n, store.KeyID())
		return nil
	case "purge":
		cutoff := time.Now().Add(-time.Duration(cfg.RetentionDays) * 24 * time.Hour)
		n, err := store.Purge(ctx, cutoff, actor)
		if err != nil {
			return fmt.Errorf("purge: %w", err)
		}
		if err := store.PurgeExpiredTokens(ctx); err != nil {
			return fmt.Errorf("purge: %w", err)
		}
		fmt.Fprintf(stdout, "purged %d enquiries received before %s\n", n, cutoff.UTC().Format(time.RFC3339))
		return nil
	case "spam":
		return runSpamCmd(ctx, store, args, actor, stdout)
	}
	return fmt.Errorf("unknown command %q", cmd)
}

func runSpamCmd(ctx context.Context, store *intake.Store, args []string, actor string, stdout io.Writer) error {
	switch {
	case len(args) == 1 && args[0] == "list":
		refs, err := store.Quarantined(ctx)
		if err != nil {
			return err
		}
		for _, r := range refs {
			fmt.Fprintln(stdout, r)
		}
		return nil
	case len(args) == 2 && args[0] == "release":
		err := store.Release(ctx, args[1], actor)
		if errors.Is(err, intake.ErrNotFound) {
			return fmt.Errorf("no quarantined enquiry has reference %q", args[1])
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "released %s: its staff alert is on its way\n", args[1])
		return nil
	}
	return errors.New("usage: intake spam list | intake spam release REFERENCE")
}
