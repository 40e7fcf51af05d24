package cli

import (
	"fmt"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// textFlags are the flags whose values are kept as text in the store or
// in an interview's audit trail.
var textFlags = map[string]bool{"interviewer": true, "location": true, "purpose": true, "reason": true}

// checkTextFlags refuses, before anything is opened, a text flag that is
// not valid UTF-8: a name typed in a terminal set to Latin-1 would be kept
// as bytes no bundle can carry. The message names the flag, not its value.
func checkTextFlags(c *cobra.Command, _ []string) error {
	var err error
	c.Flags().Visit(func(f *pflag.Flag) {
		if err != nil || !textFlags[f.Name] {
			return
		}
		vals := []string{f.Value.String()}
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			vals = sv.GetSlice()
		}
		for _, v := range vals {
			if !utf8.ValidString(v) {
				err = withHint(fmt.Errorf("--%s is not valid UTF-8 text (typed in a terminal set to another encoding, such as Latin-1?); nothing was saved", f.Name), ExitUsage,
					"set the terminal to UTF-8 (for example LANG=C.UTF-8, or the terminal's encoding menu) and type the --%s value again", f.Name)
				return
			}
		}
	})
	return err
}
