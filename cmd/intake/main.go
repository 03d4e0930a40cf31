// Command intake is the clinic enquiry intake service: main only calls run
// (run.go), which reads the configuration (config.go) and runs a command:
// serve (serve.go, wired in wiring.go) or an operator command (the *_cmd.go
// files). It is the one package that wires the store (intake/postgres),
// the mail workers and the HTTP layer together; nothing imports it. See
// README.md.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "intake:", err)
		os.Exit(1)
	}
}
