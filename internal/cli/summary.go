package cli

import (
	"os"

	"golang.org/x/term"

	"fieldscreen/internal/render"
)

func (a *app) printSummary(s scored, format string) error {
	if err := a.attachServices(s); err != nil {
		return err
	}
	if format == "json" {
		return a.printJSON(s.sum)
	}
	return render.Summary(a.io.Out, s.flow, s.sum, s.lang, a.summaryOptions(s))
}

// summaryOptions lays out a summary for the output: colour, the
// terminal's width, and the answers for its "why" lines.
func (a *app) summaryOptions(s scored) render.Options {
	opt := a.pageOptions()
	opt.Answers = s.ans
	return opt
}

// pageOptions lays out a page for the output: colour and the terminal's
// width.
func (a *app) pageOptions() render.Options {
	return render.Options{Color: a.color(), Width: a.width()}
}

// terminalWidth is the width of the terminal output is shown on (itself,
// or through the pager), and false when output goes to a file or a pipe,
// where nobody's terminal width matters. Commands that fit their output
// to a terminal ask here: list drops a column, report cuts long labels.
func (a *app) terminalWidth() (int, bool) {
	if a.pg == nil && !a.io.OutTerminal() {
		return 0, false
	}
	return a.width(), true
}

// width is the terminal's width when output goes to one, else 80.
func (a *app) width() int {
	if a.pg != nil {
		return a.pg.width
	}
	if f, ok := a.io.Out.(*os.File); ok && a.io.OutTerminal() {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			return w
		}
	}
	return 80
}
