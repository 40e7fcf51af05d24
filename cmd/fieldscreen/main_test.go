package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

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

var xlsforms, _ = filepath.Abs("../../testdata/xlsform")

// TestScripts runs the command-line scripts in testdata/script: each one
// is a behaviour of the real command, readable as documentation.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("FIELDSCREEN_DB", env.WorkDir+"/store/interviews.db")
			env.Setenv("FIELDSCREEN_PASSPHRASE", "correct horse battery staple")
			env.Setenv("NO_COLOR", "1")
			env.Setenv("XLSFORMS", xlsforms) // .xlsx files a script cannot hold
			return nil
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "tzdata": // the system's time zone database, for TZ=Area/City
				_, err := time.LoadLocation("Asia/Kolkata")
				return err == nil, nil
			case "root": // file modes do not stop root
				return os.Geteuid() == 0, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
	})
}
