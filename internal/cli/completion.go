package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"fieldscreen/internal/record"
	"fieldscreen/internal/store"
	"fieldscreen/internal/textsafe"
)

// registerCompletions teaches the shell to complete interview IDs (for
// show, delete, score and interview --resume) and flow files (--flow, and
// the FILE arguments of flow validate and flow print). Call it once the
// whole command tree is built.
func (a *app) registerCompletions(root *cobra.Command) {
	for _, name := range []string{"show", "delete", "score"} {
		if c := findCmd(root, name); c != nil && c.ValidArgsFunction == nil {
			c.ValidArgsFunction = a.completeIDs("", name == "show")
		}
	}
	if c := findCmd(root, "interview"); c != nil && c.Flags().Lookup("resume") != nil {
		_ = c.RegisterFlagCompletionFunc("resume", a.completeIDs(record.StatusDraft, true))
	}
	for _, path := range [][]string{{"flow", "validate"}, {"flow", "print"}} {
		if c := findCmd(root, path...); c != nil && c.ValidArgsFunction == nil {
			c.ValidArgsFunction = completeFlowFiles
		}
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.LocalNonPersistentFlags().Lookup("flow") != nil {
			if _, ok := c.GetFlagCompletionFunc("flow"); !ok {
				_ = c.RegisterFlagCompletionFunc("flow", completeFlowFiles)
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

func findCmd(root *cobra.Command, path ...string) *cobra.Command {
	c := root
	for _, name := range path {
		var next *cobra.Command
		for _, sub := range c.Commands() {
			if sub.Name() == name {
				next = sub
			}
		}
		if next == nil {
			return nil
		}
		c = next
	}
	return c
}

func completeFlowFiles(_ *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
	return []string{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
}

// completeIDs lists the store's interviews: by their short form (what
// 'fieldscreen list' shows), or by the full ID once the typed text is the
// start of one. The store is opened only when the passphrase comes from the
// environment: a completion must never prompt, and otherwise offers nothing.
func (a *app) completeIDs(status record.Status, one bool) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		const none = cobra.ShellCompDirectiveNoFileComp
		if one && len(args) > 0 {
			return nil, none
		}
		if a.io.Getenv("FIELDSCREEN_PASSPHRASE") == "" && a.io.Getenv("FIELDSCREEN_PASSPHRASE_FILE") == "" {
			return nil, none
		}
		path, err := a.storePath()
		if err != nil || !store.Exists(path) {
			return nil, none
		}
		st, err := a.openStore(false)
		if err != nil {
			return nil, none
		}
		defer st.Close()
		entries, err := st.List(status)
		if err != nil {
			return nil, none
		}
		toComplete = strings.ToLower(toComplete)
		var out []string
		for _, e := range entries {
			short := shortID(e.ID)
			if slices.Contains(args, short) || slices.Contains(args, e.ID) {
				continue
			}
			desc := fmt.Sprintf("%s, %s", e.Status, e.CreatedAt.Local().Format("2006-01-02 15:04"))
			if e.Interviewer != "" {
				// a name from a bundle, printed by the shell under the
				// cursor: one line, nothing that drives the terminal
				desc += ", " + textsafe.Line(e.Interviewer)
			}
			switch {
			case strings.HasPrefix(short, toComplete):
				out = append(out, short+"\t"+desc)
			case strings.HasPrefix(e.ID, toComplete):
				out = append(out, e.ID+"\t"+desc)
			}
		}
		return out, none
	}
}
