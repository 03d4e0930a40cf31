package main

import (
	"context"
	"fmt"
	"io"

	"github.com/clinic/intake/intake"
)

// rotateKeyCmd is `intake rotate-key`: every enquiry, note and two-factor
// secret re-sealed under DATA_KEY (and enquiries sealed with an older
// binding re-bound), audited.
func rotateKeyCmd(ctx context.Context, cfg Config, by intake.Actor, stdout io.Writer) error {
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.closeDB()
	if cfg.DataKeyPrevious == nil {
		fmt.Fprintln(stdout, "note: DATA_KEY_PREVIOUS is unset; only rows already readable with DATA_KEY can be rotated")
	}
	n, err := store.RotateKeys(ctx, by.Name)
	if err != nil {
		return fmt.Errorf("rotate-key: %w (rotated %d before stopping; run it again after fixing)", err, n)
	}
	fmt.Fprintf(stdout, "re-encrypted %d enquiries, notes and two-factor secrets under key %s\n", n, store.KeyID())
	return nil
}
