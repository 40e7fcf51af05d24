package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"fieldscreen/internal/store"
)

// checkOptions is what 'fieldscreen check' was asked.
type checkOptions struct {
	*app
}

// checkCmd is 'fieldscreen check'. runF, when not nil, runs instead of
// runCheck.
func (a *app) checkCmd(runF func(*checkOptions) error) *cobra.Command {
	o := &checkOptions{app: a}
	return &cobra.Command{
		Use:   "check",
		Short: "Verify the whole store: its structure, and that every record decrypts",
		Example: `  fieldscreen check
  FIELDSCREEN_DB=backup.db fieldscreen check`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(o)
			}
			return runCheck(o)
		},
	}
}

// runCheck is the work of 'fieldscreen check'.
func runCheck(o *checkOptions) error {
	a := o.app
	path, err := a.storePath()
	if err != nil {
		return err
	}
	if !store.Exists(path) {
		return withHint(fmt.Errorf("no interview store at %s", path), ExitError, "name the store with --db or FIELDSCREEN_DB")
	}
	pass := a.pass
	if pass == nil {
		if pass, err = a.passphrase("Passphrase for the interview store: ", false); err != nil {
			return err
		}
	}
	// CheckFile also examines a store too damaged to open, read-only.
	probs := store.CheckFile(path, pass)
	if len(probs) == 0 {
		fmt.Fprintf(a.io.Out, "%s: ok\n", path)
		return nil
	}
	todo := true
	for _, p := range probs {
		fmt.Fprintf(a.io.Out, "%s: %v\n", path, p)
		todo = todo && p.Compact
	}
	if todo {
		// Nothing is damaged: work a killed command left, which
		// the next command that opens the store also does.
		return withHint(fmt.Errorf("the store has %d thing(s) left to do", len(probs)), ExitError,
			"run 'fieldscreen compact' to do them now")
	}
	return withHint(fmt.Errorf("the store has %d problem(s)", len(probs)), ExitStoreCorrupt,
		"keep a copy of the file; export what can still be read with 'fieldscreen export --all --skip-damaged -o FILE --purpose TEXT --recipient age1...'")
}
