package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"fieldscreen/internal/store"
)

// deleteOptions is what 'fieldscreen delete' was asked.
type deleteOptions struct {
	*app
	args []string
	yes  bool
}

// deleteCmd is 'fieldscreen delete'. runF, when not nil, runs instead of
// runDelete.
func (a *app) deleteCmd(runF func(*deleteOptions) error) *cobra.Command {
	o := &deleteOptions{app: a}
	c := &cobra.Command{
		Use:   "delete ID...",
		Short: "Erase interviews for good",
		Long: `Erases the interviews, then rewrites the store so that their bytes no longer
exist anywhere in the file.`,
		Example: `  fieldscreen delete 3e27485e
  fieldscreen delete 3e27485e 91fd2d0c --yes`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			o.args = args
			if runF != nil {
				return runF(o)
			}
			return runDelete(o)
		},
	}
	c.Flags().BoolVar(&o.yes, "yes", false, "do not ask for confirmation")
	return c
}

// runDelete is the work of 'fieldscreen delete'.
func runDelete(o *deleteOptions) error {
	a, args, yes := o.app, o.args, o.yes
	st, err := a.openStore(false)
	if err != nil {
		return err
	}
	var ids []string
	for _, arg := range args {
		id, err := resolveID(st, arg)
		if err != nil {
			return err
		}
		ids = append(ids, id)
	}
	if !yes {
		a.describeInterviews(st, ids)
		if err := a.confirm(fmt.Sprintf("Erase %d interview(s) for good?", len(ids)), "--yes"); err != nil {
			return err
		}
	}
	if err := st.Delete(ids...); err != nil {
		return err
	}
	for _, id := range ids {
		fmt.Fprintf(a.io.Err, "Erased %s\n", shortID(id))
	}
	return nil
}

// describeInterviews lists, before a confirmation, the interviews it is
// about: short ID, status, dates and outcome.
func (a *app) describeInterviews(st *store.Store, ids []string) {
	if !a.io.InTerminal() {
		return
	}
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	entries, err := st.List("")
	if err != nil {
		return
	}
	words := a.outcomeWords(st, "")
	var rows [][]string
	statusW, outcomeW := 0, 0
	for _, e := range entries {
		if want[e.ID] {
			r := []string{shortID(e.ID), string(e.Status), localTime(e.CreatedAt), localTime(e.UpdatedAt), words.label(e)}
			statusW, outcomeW = max(statusW, utf8.RuneCountInString(r[1])), max(outcomeW, utf8.RuneCountInString(r[4]))
			rows = append(rows, r)
		}
	}
	// Each row whole on the terminal, so that what is about to be erased
	// can be read: narrower, the change time goes, then the times of day.
	const id, stamp = 8, len("started ") + 23
	full := 2 + id + 2 + statusW + 2 + stamp + 2 + stamp + 2 + outcomeW
	narrow, dayOnly := fitTimes(full, stamp, a.width())
	tw := tabwriter.NewWriter(a.io.Err, 0, 0, 2, ' ', 0)
	for _, r := range rows {
		switch {
		case dayOnly:
			day, _, _ := strings.Cut(r[2], " ")
			fmt.Fprintf(tw, "  %s\t%s\tstarted %s\t%s\n", r[0], r[1], day, r[4])
		case narrow:
			fmt.Fprintf(tw, "  %s\t%s\tstarted %s\t%s\n", r[0], r[1], r[2], r[4])
		default:
			fmt.Fprintf(tw, "  %s\t%s\tstarted %s\tchanged %s\t%s\n", r[0], r[1], r[2], r[3], r[4])
		}
	}
	tw.Flush()
}
