package main

import (
	"context"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"fieldscreen/internal/cli"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"fieldscreen": func() {
			os.Exit(cli.Execute(context.Background(), "test", os.Args[1:], cli.StdIO()))
		},
	})
}

// TestScripts runs the command-line scripts in testdata/script: each one
// is a behaviour of the real command, readable as documentation.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("FIELDSCREEN_DB", env.WorkDir+"/store/interviews.db")
			env.Setenv("FIELDSCREEN_PASSPHRASE", "correct horse battery staple")
			env.Setenv("NO_COLOR", "1")
			return nil
		},
	})
}
