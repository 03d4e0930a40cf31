package main

import (
	"context"
	"fmt"
	"io"

	"github.com/clinic/intake/intake"
)

// rotateKeyCmd is `intake rotate-key`: every enquiry, note, two-factor
// secret, contact note, queue card and flag count re-sealed under DATA_KEY
// (and enquiries sealed with an older binding re-bound), audited.
func rotateKeyCmd(ctx context.Context, cfg Config, by intake.Actor, stdout io.Writer) error {
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.closeDB()
	if cfg.DataKeyPrevious == nil {
		fmt.Fprintln(stdout, "note: DATA_KEY_PREVIOUS is unset; only rows already readable with DATA_KEY can be rotated")
	}
	r, err := store.RotateKeys(ctx, by.Name)
	if err != nil {
		return fmt.Errorf("rotate-key: %w (rotated %s before stopping; run it again after fixing)", err, r)
	}
	fmt.Fprintf(stdout, "re-encrypted %s under key %s\n", r, store.KeyID())
	return nil
}
