package cli

import (
	"bufio"
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"fieldscreen/internal/record"
	"fieldscreen/internal/render"
	"fieldscreen/internal/store"
	"fieldscreen/internal/words"
)

// listOptions is what 'fieldscreen list' was asked, with the app it runs
// in (its IO, store and settings).
type listOptions struct {
	*app
	cmd                  *cobra.Command
	status, format, lang string
}

// listCmd is 'fieldscreen list'. runF, when not nil, runs instead of
// runList: a test sees the options the command line gave.
func (a *app) listCmd(runF func(*listOptions) error) *cobra.Command {
	o := &listOptions{app: a}
	c := &cobra.Command{
		Use:   "list",
		Short: "List the interviews in the store, newest first",
		Example: `  fieldscreen list
  fieldscreen list --status draft
  fieldscreen list --format json | jq '.[].interview_id'`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := checkEnums(c, "status"); err != nil {
				return err
			}
			if err := checkEnums(c, "format"); err != nil {
				return err
			}
			o.cmd = c
			if runF != nil {
				return runF(o)
			}
			return runList(o)
		},
	}
	statusVar(c, &o.status, "only interviews with this status: {list}")
	formatVar(c, &o.format, "table", "{or}", "table", "json")
	c.Flags().StringVar(&o.lang, "lang", "", "language of the outcomes in the table (default: the language setting, else each flow's)")
	return c
}

// runList lists the interviews: a table written as it goes, or JSON.
func runList(o *listOptions) error {
	a := o.app
	st, err := a.openStore(false)
	if err != nil {
		return err
	}
	entries, err := st.List(record.Status(o.status))
	if err != nil {
		return err
	}
	// A --lang that a listed interview's flow does not speak is refused before anything is
	// written, in JSON too, where it changes nothing but was still asked.
	labels := a.outcomeWords(st, o.lang)
	if err := labels.checkLang(entries, o.lang); err != nil {
		return err
	}
	if o.format == "json" {
		type row struct {
			ID          string     `json:"interview_id"`
			Status      string     `json:"status"`
			CreatedAt   time.Time  `json:"created_at"`
			UpdatedAt   time.Time  `json:"updated_at"`
			CompletedAt *time.Time `json:"completed_at,omitempty"`
			Interviewer string     `json:"interviewer,omitempty"`
			Location    string     `json:"location,omitempty"`
			Language    string     `json:"language,omitempty"`
			Outcome     string     `json:"outcome"`
			FlowID      string     `json:"flow_id"`
			FlowVersion string     `json:"flow_version"`
			// Corrected since its last export (fieldscreen amend).
			AmendedSinceExport bool `json:"amended_since_export,omitempty"`
		}
		where := interviewPlaces(o.cmd.Context(), st, record.Status(o.status), entries)
		rows := make([]row, len(entries))
		for i, e := range entries {
			p := where[e.ID]
			rows[i] = row{e.ID, string(e.Status), e.CreatedAt, e.UpdatedAt, e.CompletedAt, e.Interviewer, p[0], p[1], e.Outcome, e.FlowID, e.FlowVersion, e.AmendedSinceExport}
		}
		if err := a.printJSON(rows); err != nil {
			return err
		}
		// Every readable interview is listed; a damaged index
		// record whose interview is lost fails the command after.
		return lostRecords(st)
	}
	if len(entries) == 0 {
		fmt.Fprintln(a.io.Err, "No interviews.")
		return lostRecords(st)
	}
	// The headings and statuses in the language the outcomes are in
	// (--lang, else the language setting): a French table is not headed
	// in English.
	lang := labels.lang
	head := func(id string) string { return strings.ToUpper(words.T(nil, lang, "list."+id)) }
	status := func(s record.Status) string {
		if w := words.T(nil, lang, "status."+string(s)); w != "status."+string(s) {
			return w
		}
		return string(s)
	}
	// Fixed widths, written as they come: a table of 100,000 rows
	// must not wait for (or hold) all of them to align columns.
	iw := utf8.RuneCountInString(head("interviewer"))
	for _, e := range entries {
		iw = max(iw, min(utf8.RuneCountInString(e.Interviewer), 24))
	}
	sw := utf8.RuneCountInString(head("status"))
	for _, s := range []record.Status{record.StatusDraft, record.StatusCompleted, record.StatusExported} {
		sw = max(sw, utf8.RuneCountInString(status(s)+amendedMark))
	}
	out := bufio.NewWriterSize(a.io.Out, 64<<10)
	// On a terminal too narrow for every column (the full row is about
	// 100 wide), UPDATED is left out rather than every line wrapping,
	// then CREATED keeps its date alone; output to a file or a pipe keeps
	// every column. The outcome's width is that of its longest label
	// among the few the listed interviews have ("Orienter vers une
	// protection" is longer than "Urgent referral").
	const stamp, day = 23, len("2006-01-02")
	tw, onTerminal := a.terminalWidth()
	ow := 0
	if onTerminal { // a file or a pipe (100,000 rows, say) keeps every column
		seen := map[[3]string]bool{}
		for _, e := range entries {
			if k := [3]string{e.FlowID, e.FlowVersion, e.Outcome}; !seen[k] {
				seen[k] = true
				ow = max(ow, utf8.RuneCountInString(labels.label(e)))
			}
		}
	}
	full := 8 + 2 + sw + 2 + stamp + 2 + stamp + 2 + iw + 2 + ow
	narrow, dayOnly := fitTimes(full, stamp, tw)
	narrow, dayOnly = narrow && onTerminal, dayOnly && onTerminal
	row := func(id, status, created, updated, interviewer, outcome string) {
		switch {
		case dayOnly:
			created, _, _ = strings.Cut(created, " ")
			fmt.Fprintf(out, "%-8s  %-*s  %-*s  %-*s  %s\n", id, sw, status, day, created, iw, interviewer, outcome)
		case narrow:
			fmt.Fprintf(out, "%-8s  %-*s  %-*s  %-*s  %s\n", id, sw, status, stamp, created, iw, interviewer, outcome)
		default:
			fmt.Fprintf(out, "%-8s  %-*s  %-*s  %-*s  %-*s  %s\n", id, sw, status, stamp, created, stamp, updated, iw, interviewer, outcome)
		}
	}
	row("ID", head("status"), head("created"), head("updated"), head("interviewer"), head("outcome"))
	amended := 0
	for _, e := range entries {
		status := status(e.Status)
		if e.AmendedSinceExport {
			status += amendedMark // explained under the table
			amended++
		}
		name := render.Clean(e.Interviewer)
		if utf8.RuneCountInString(name) > 24 {
			name = string([]rune(name)[:23]) + "…"
		}
		row(shortID(e.ID), status, localTime(e.CreatedAt), localTime(e.UpdatedAt), name, labels.label(e))
	}
	if err := out.Flush(); err != nil {
		return err
	}
	if amended > 0 {
		fmt.Fprintln(a.io.Err, amendedNote)
	}
	return lostRecords(st)
}

// interviewPlaces gives each listed interview's location and language,
// which the store's index does not hold: one pass over the records, and
// one at a time past a record that does not read (it stays without).
func interviewPlaces(ctx context.Context, st *store.Store, status record.Status, entries []record.Entry) map[string][2]string {
	out := make(map[string][2]string, len(entries))
	err := st.Each(ctx, status, func(iv *record.Interview) error {
		out[iv.ID] = [2]string{iv.Location, iv.Language}
		return nil
	})
	if err == nil || ctx.Err() != nil {
		return out
	}
	for _, e := range entries {
		if _, ok := out[e.ID]; ok {
			continue
		}
		if iv, err := st.Get(e.ID); err == nil {
			out[iv.ID] = [2]string{iv.Location, iv.Language}
		}
	}
	return out
}

// fitTimes says how a table whose rows hold two times, full columns wide
// with each time taking stamp of them, fits width: narrow, the second
// time is left out; dayOnly, the first keeps its date alone too. list and
// the list before an erasure lay their rows out so.
func fitTimes(full, stamp, width int) (narrow, dayOnly bool) {
	narrow = full > width
	return narrow, narrow && full-stamp-2 > width
}
