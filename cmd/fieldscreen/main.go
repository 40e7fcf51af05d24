// Command fieldscreen runs screening interviews offline; see internal/cli.
package main

import (
	"context"
	"fmt"
	"os"

	"fieldscreen/internal/cli"
	"fieldscreen/internal/interrupt"
)

var version = "dev"

func main() {
	// SIGINT, SIGTERM and SIGHUP cancel the command's context: it stops at
	// its next check, removes what it was writing, and Execute clears the
	// keys and returns 130. A second signal ends the process at once.
	ctx, again, stop := interrupt.Context(context.Background())
	go func() {
		if sig, ok := <-again; ok {
			fmt.Fprintf(os.Stderr, "fieldscreen: stopped at once by a second %s\n", interrupt.Name(sig))
			os.Exit(cli.ExitInterrupted)
		}
	}()
	code := cli.Execute(ctx, version, os.Args[1:], cli.StdIO())
	stop()
	os.Exit(code)
}
