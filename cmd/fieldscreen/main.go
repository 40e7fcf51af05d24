// Command fieldscreen runs screening interviews offline; see internal/cli.
package main

import (
	"context"
	"os"

	"fieldscreen/internal/cli"
)

var version = "dev"

func main() {
	os.Exit(cli.Execute(context.Background(), version, os.Args[1:], cli.StdIO()))
}
