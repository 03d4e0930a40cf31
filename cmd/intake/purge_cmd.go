package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/clinic/intake/intake"
)

// purgeCmd is `intake purge`: the retention pass the periodic job runs,
// now, audited as the operator.
func purgeCmd(ctx context.Context, cfg Config, by intake.Actor, stdout io.Writer) error {
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.closeDB()
	cutoff := intake.RetentionCutoff(time.Now(), cfg.RetentionDays)
	n, err := store.Purge(ctx, cutoff, by.Name)
	if err != nil {
		return fmt.Errorf("purge: %w", err)
	}
	if err := store.PurgeExpiredTokens(ctx); err != nil {
		return fmt.Errorf("purge: %w", err)
	}
	fmt.Fprintf(stdout, "purged %d enquiries received before %s\n", n, cutoff.UTC().Format(time.RFC3339))
	return nil
}
