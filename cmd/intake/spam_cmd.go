package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/clinic/intake/intake"
)

const spamUsage = "usage: intake spam list | intake spam release REFERENCE"

// spamCmd is `intake spam list` (the quarantined references) and `intake
// spam release REF` (into the normal queue, its staff alert sent; audited).
func spamCmd(ctx context.Context, cfg Config, args []string, by intake.Actor, stdout io.Writer) error {
	list := len(args) == 1 && args[0] == "list"
	release := len(args) == 2 && args[0] == "release"
	if !list && !release {
		return errors.New(spamUsage)
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.closeDB()
	if list {
		refs, err := store.Quarantined(ctx)
		if err != nil {
			return err
		}
		for _, r := range refs {
			fmt.Fprintln(stdout, r)
		}
		return nil
	}
	err = store.Release(ctx, args[1], by)
	if errors.Is(err, intake.ErrNotFound) {
		return fmt.Errorf("no quarantined enquiry has reference %q", args[1])
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "released %s: its staff alert is on its way\n", args[1])
	return nil
}
