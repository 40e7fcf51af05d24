package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// manOptions is what 'fieldscreen man' was asked.
type manOptions struct {
	*app
	cmd  *cobra.Command
	args []string
}

// manCmd writes a man page per command, for packagers. runF,
// when not nil, runs instead of runMan.
func (a *app) manCmd(runF func(*manOptions) error) *cobra.Command {
	o := &manOptions{app: a}
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
			o.cmd, o.args = c, args
			if runF != nil {
				return runF(o)
			}
			return runMan(o)
		},
	}
}

// runMan is the work of 'fieldscreen man'.
func runMan(o *manOptions) error {
	a, c, args := o.app, o.cmd, o.args
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
