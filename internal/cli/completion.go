package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"fieldscreen/internal/store"
	"fieldscreen/internal/textsafe"
)

func init() { extraCommands = append(extraCommands, (*app).manCmd) }

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
		_ = c.RegisterFlagCompletionFunc("resume", a.completeIDs(store.StatusDraft, true))
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
func (a *app) completeIDs(status store.Status, one bool) cobra.CompletionFunc {
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

// manCmd writes a man page per command, for packagers.
func (a *app) manCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "man DIR",
		Short: "Write man pages for every command into DIR",
		Long: `Writes a man page for each command (fieldscreen.1, fieldscreen-export.1, ...)
into DIR; fieldscreen.1 also lists the environment variables and exit codes.
Install them where man looks, such as /usr/local/share/man/man1. The date in
them is SOURCE_DATE_EPOCH when it is set, for reproducible builds.`,
		Example: `  fieldscreen man ./man && man ./man/fieldscreen-export.1
  sudo fieldscreen man /usr/local/share/man/man1`,
		Args: exactArgs(1, "the folder to write the man pages to"),
		RunE: func(c *cobra.Command, args []string) error {
			root := c.Root()
			// Pages must not change from one build to the next: no
			// "auto generated" line, and the date from SOURCE_DATE_EPOCH
			// when packagers set it.
			var noTag func(*cobra.Command)
			noTag = func(c *cobra.Command) {
				c.DisableAutoGenTag = true
				for _, sub := range c.Commands() {
					noTag(sub)
				}
			}
			noTag(root)
			date := time.Now()
			if s := a.io.Getenv("SOURCE_DATE_EPOCH"); s != "" {
				var sec int64
				if _, err := fmt.Sscan(s, &sec); err == nil {
					date = time.Unix(sec, 0).UTC()
				}
			}
			if err := os.MkdirAll(args[0], 0o755); err != nil {
				return withHint(fmt.Errorf("cannot create %s: %w", args[0], err), ExitError, "choose a folder you may write to")
			}
			header := &doc.GenManHeader{Section: "1", Date: &date, Source: "fieldscreen " + a.version, Manual: "fieldscreen manual"}
			if err := doc.GenManTree(root, header, args[0]); err != nil {
				return err
			}
			// Help topics have no page of their own: the main page
			// carries them, as man pages do.
			page := filepath.Join(args[0], "fieldscreen.1")
			fh, err := os.OpenFile(page, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				return err
			}
			fmt.Fprint(fh, roffSection("EXIT STATUS", exitCodesHelp)+roffSection("ENVIRONMENT", environmentHelp))
			if err := fh.Close(); err != nil {
				return err
			}
			fmt.Fprintf(a.io.Err, "Wrote the man pages to %s\n", args[0])
			return nil
		},
	}
}

// roffSection is a man page section holding text as it is laid out (no
// filling), with roff's escape character and control lines escaped.
func roffSection(title, text string) string {
	var b strings.Builder
	b.WriteString(".SH " + title + "\n.nf\n")
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		line = strings.ReplaceAll(line, `\`, `\e`)
		if strings.HasPrefix(line, ".") || strings.HasPrefix(line, "'") {
			line = `\&` + line
		}
		b.WriteString(line + "\n")
	}
	b.WriteString(".fi\n")
	return b.String()
}
