package main

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/clinic/intake/intake"
)

const auditUsage = "usage: intake audit verify [--head SEQ:HASH]"

// auditCmd runs `intake audit verify`: it checks the audit log's hash
// chain and fails on the first broken link. --head checks, too, that the
// row at SEQ still carries HASH, as printed by an earlier run and kept
// where the database's owner cannot change it.
func auditCmd(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return errors.New(auditUsage)
	}
	var want intake.AuditLink
	switch {
	case len(args) == 3 && args[1] == "--head":
		var err error
		if want, err = parseHead(args[2]); err != nil {
			return err
		}
	case len(args) != 1:
		return errors.New(auditUsage)
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.closeDB()
	c, err := store.VerifyAudit(ctx, want)
	if err != nil {
		return fmt.Errorf("audit verify: %w", err)
	}
	if b := c.Broken; b != nil {
		fmt.Fprintf(stdout, "%d rows intact, then the chain breaks at row %d (id %d): %s\n", c.Rows, b.Seq, b.ID, b.Reason)
		return fmt.Errorf("audit log: chain broken at row %d (id %d)", b.Seq, b.ID)
	}
	fmt.Fprintf(stdout, "%d rows, chain intact\n", c.Rows)
	if c.Rows > 0 {
		fmt.Fprintf(stdout, "head: %d:%s (keep it elsewhere; `intake audit verify --head %d:%s` proves history up to it unchanged)\n",
			c.Head.Seq, hex.EncodeToString(c.Head.Hash), c.Head.Seq, hex.EncodeToString(c.Head.Hash))
	}
	return nil
}

func parseHead(s string) (intake.AuditLink, error) {
	seq, h, ok := strings.Cut(s, ":")
	n, err := strconv.ParseInt(seq, 10, 64)
	hash, herr := hex.DecodeString(h)
	if !ok || err != nil || n < 1 || herr != nil || len(hash) == 0 {
		return intake.AuditLink{}, fmt.Errorf("--head %q: want SEQ:HASH as printed by `intake audit verify`", s)
	}
	return intake.AuditLink{Seq: n, Hash: hash}, nil
}
