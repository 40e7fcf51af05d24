package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

// compactOptions is what 'fieldscreen compact' was asked.
type compactOptions struct {
	*app
}

// compactCmd finishes by hand what a delete does by itself: it overwrites
// the store's free pages, erases copies interrupted compactions left, and
// rewrites the file smaller. runF,
// when not nil, runs instead of runCompact.
func (a *app) compactCmd(runF func(*compactOptions) error) *cobra.Command {
	o := &compactOptions{app: a}
	return &cobra.Command{
		Use:   "compact",
		Short: "Overwrite the store's free space and rewrite it smaller",
		Long: `Deleting interviews or passphrases overwrites what was removed and rewrites
the store file without its free space. When the rewrite could not be done
(a full disk, a folder that cannot take a new file) or was interrupted,
'fieldscreen compact' does it: it overwrites the free pages with zeros,
erases any copy of the store an interrupted compaction left beside it, and
rewrites the file. 'fieldscreen check' says when it is needed.`,
		Example: `  fieldscreen compact`,
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(o)
			}
			return runCompact(o)
		},
	}
}

// runCompact is the work of 'fieldscreen compact'.
func runCompact(o *compactOptions) error {
	a := o.app
	st, err := a.openStore(false)
	if err != nil {
		return err
	}
	before := fileSize(st.Path())
	if err := st.Compact(); err != nil {
		return err
	}
	fmt.Fprintf(a.io.Err, "Compacted %s: %s, was %s.\n", st.Path(), humanBytes(fileSize(st.Path())), humanBytes(before))
	return nil
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

func humanBytes(n int64) string {
	switch {
	case n >= 10<<20:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 10<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
