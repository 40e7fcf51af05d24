package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"fieldscreen/internal/store"
)

// keyRemoveOptions is what 'fieldscreen key remove' was asked.
type keyRemoveOptions struct {
	*app
	args        []string
	rotateAfter bool
}

// keyRemoveCmd is 'fieldscreen key remove'. runF, when not nil, runs
// instead of runKeyRemove.
func (a *app) keyRemoveCmd(runF func(*keyRemoveOptions) error) *cobra.Command {
	o := &keyRemoveOptions{app: a}
	c := &cobra.Command{
		Use: "remove KEY", Short: "Remove a key (never the last one)", Args: cobra.ExactArgs(1),
		Long: `Removes one passphrase from the store, so that it no longer opens it.
KEY is the key's ID as 'fieldscreen key list' shows it, or enough of its
first characters to name one key. The key this command was opened with
cannot be removed (open the store with another passphrase), nor the last
one. Whoever had the removed passphrase and an old copy of the store file
can still open that copy: --rotate then re-encrypts every interview under
a new key.`,
		Example: `  fieldscreen key list                  # find the KEY
  fieldscreen key remove 65b98cb7
  fieldscreen key remove 65b9 --rotate  # if a copy of the store file may have been taken`,
		RunE: func(_ *cobra.Command, args []string) error {
			o.args = args
			if runF != nil {
				return runF(o)
			}
			return runKeyRemove(o)
		},
	}
	c.Flags().BoolVar(&o.rotateAfter, "rotate", false, "then re-encrypt every interview under a new key (other passphrases must be added again)")
	return c
}

// runKeyRemove removes the one key whose ID starts with the argument.
func runKeyRemove(o *keyRemoveOptions) error {
	a, args := o.app, o.args
	st, err := a.openStore(false)
	if err != nil {
		return err
	}
	keys, err := st.ListKeys()
	if err != nil {
		return err
	}
	var match []store.KeyInfo
	for _, k := range keys {
		if strings.HasPrefix(k.ID, strings.ToLower(args[0])) {
			match = append(match, k)
		}
	}
	switch {
	case len(match) == 0:
		return withHint(fmt.Errorf("no key starts with %q", args[0]), ExitError, "see the keys with 'fieldscreen key list'")
	case len(match) > 1:
		return withHint(fmt.Errorf("%d keys start with %q", len(match), args[0]), ExitUsage, "give more characters of the key, as 'fieldscreen key list' shows it")
	case match[0].Current:
		return withHint(errors.New("that is the key this command was opened with"), ExitUsage,
			"open the store with another passphrase to remove this one, or change it with 'fieldscreen key change'")
	}
	if err := st.RemoveKey(match[0].ID); err != nil {
		return err
	}
	fmt.Fprintf(a.io.Err, "Removed key %s\n", match[0].ID)
	return a.offerRotate(st, o.rotateAfter, "whoever had that passphrase and a copy of the store file, or its key, could still read what is added from now on")
}
