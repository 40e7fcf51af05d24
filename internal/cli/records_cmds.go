package cli

import (
	"bufio"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"fieldscreen/internal/bundle"
	"fieldscreen/internal/render"
	"fieldscreen/internal/store"
	"fieldscreen/internal/textsafe"
	"fieldscreen/internal/words"
	"fieldscreen/questionnaire"
)

func validStatus(c *cobra.Command, s string) error {
	if s == "" {
		return nil
	}
	return oneOf(c, "status", s, "draft", "completed", "exported")
}

func (a *app) listCmd() *cobra.Command {
	var status, format, lang string
	c := &cobra.Command{
		Use:   "list",
		Short: "List the interviews in the store, newest first",
		Example: `  fieldscreen list
  fieldscreen list --status draft
  fieldscreen list --format json | jq '.[].interview_id'`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := validStatus(c, status); err != nil {
				return err
			}
			if err := oneOf(c, "format", format, "table", "json"); err != nil {
				return err
			}
			st, err := a.openStore(false)
			if err != nil {
				return err
			}
			entries, err := st.List(store.Status(status))
			if err != nil {
				return err
			}
			if format == "json" {
				type row struct {
					ID          string     `json:"interview_id"`
					Status      string     `json:"status"`
					CreatedAt   time.Time  `json:"created_at"`
					UpdatedAt   time.Time  `json:"updated_at"`
					CompletedAt *time.Time `json:"completed_at,omitempty"`
					Interviewer string     `json:"interviewer,omitempty"`
					Outcome     string     `json:"outcome"`
					FlowID      string     `json:"flow_id"`
					FlowVersion string     `json:"flow_version"`
					// Corrected since its last export (fieldscreen amend).
					AmendedSinceExport bool `json:"amended_since_export,omitempty"`
				}
				rows := make([]row, len(entries))
				for i, e := range entries {
					rows[i] = row{e.ID, string(e.Status), e.CreatedAt, e.UpdatedAt, e.CompletedAt, e.Interviewer, e.Outcome, e.FlowID, e.FlowVersion, e.AmendedSinceExport}
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
			// Fixed widths, written as they come: a table of 100,000 rows
			// must not wait for (or hold) all of them to align columns.
			words := a.outcomeWords(st, lang)
			iw := len("INTERVIEWER")
			for _, e := range entries {
				iw = max(iw, min(utf8.RuneCountInString(e.Interviewer), 24))
			}
			out := bufio.NewWriterSize(a.io.Out, 64<<10)
			row := func(id, status, created, updated, interviewer, outcome string) {
				fmt.Fprintf(out, "%-8s  %-10s  %-23s  %-23s  %-*s  %s\n", id, status, created, updated, iw, interviewer, outcome)
			}
			row("ID", "STATUS", "CREATED", "UPDATED", "INTERVIEWER", "OUTCOME")
			amended := 0
			for _, e := range entries {
				status := string(e.Status)
				if e.AmendedSinceExport {
					status += amendedMark // explained under the table
					amended++
				}
				name := render.Clean(e.Interviewer)
				if utf8.RuneCountInString(name) > 24 {
					name = string([]rune(name)[:23]) + "…"
				}
				row(shortID(e.ID), status, localTime(e.CreatedAt), localTime(e.UpdatedAt), name, words.label(e))
			}
			if err := out.Flush(); err != nil {
				return err
			}
			if amended > 0 {
				fmt.Fprintln(a.io.Err, amendedNote)
			}
			return lostRecords(st)
		},
	}
	c.Flags().StringVar(&status, "status", "", "only interviews with this status: draft, completed, exported")
	c.Flags().StringVar(&format, "format", "table", "table or json")
	c.Flags().StringVar(&lang, "lang", "", "language of the outcomes in the table (default: the language setting, else each flow's)")
	return c
}

// getInterview resolves a short ID and reads the interview.
func getInterview(st *store.Store, id string) (*store.Interview, error) {
	full, err := resolveID(st, id)
	if err != nil {
		return nil, err
	}
	return st.Get(full)
}

func (a *app) showCmd() *cobra.Command {
	var format, lang string
	c := &cobra.Command{
		Use:   "show ID",
		Short: "Show an interview: its summary, every answer and the audit trail",
		Example: `  fieldscreen show 3e27485e
  fieldscreen show 3e27485e --format markdown > handover.md
  fieldscreen show 3e27485e --format json`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if err := oneOf(c, "format", format, "text", "json", "markdown"); err != nil {
				return err
			}
			st, err := a.openStore(false)
			if err != nil {
				return err
			}
			iv, err := getInterview(st, args[0])
			if err != nil {
				return err
			}
			s, err := newFlowCache(st, nil).score(iv, lang)
			if err != nil {
				return err
			}
			if err := a.attachServices(s); err != nil {
				return err
			}
			times := map[string]time.Time{}
			for _, an := range iv.Answers {
				times[an.QuestionID] = an.AnsweredAt
			}
			rows := render.AnswerRows(s.flow, questionnaire.Answers(iv.AnswersMap()), times, s.lang)
			a.startPager() // everything kept about a person is long
			switch format {
			case "json":
				type answer struct {
					ID         string    `json:"id"`
					Label      string    `json:"label"`
					Value      any       `json:"value"`
					AnsweredAt time.Time `json:"answered_at"`
				}
				out := struct {
					ID          string                 `json:"interview_id"`
					Status      string                 `json:"status"`
					Flow        questionnaire.FlowRef  `json:"flow"`
					Interviewer string                 `json:"interviewer,omitempty"`
					Location    string                 `json:"location,omitempty"`
					Language    string                 `json:"language"`
					CreatedAt   time.Time              `json:"created_at"`
					UpdatedAt   time.Time              `json:"updated_at"`
					CompletedAt *time.Time             `json:"completed_at,omitempty"`
					Consent     *store.Consent         `json:"consent,omitempty"`
					Summary     *questionnaire.Summary `json:"summary"`
					Answers     []answer               `json:"answers"`
					Audit       []store.AuditEvent     `json:"audit"`
					// Corrections made with 'fieldscreen amend', from the audit trail.
					Corrections []store.Correction `json:"corrections,omitempty"`
				}{iv.ID, string(iv.Status), s.flow.Ref(), iv.Interviewer, iv.Location, iv.Language, iv.CreatedAt, iv.UpdatedAt,
					iv.CompletedAt, iv.Consent, s.sum, []answer{}, iv.Audit, iv.Corrections()}
				for _, r := range rows {
					out.Answers = append(out.Answers, answer{r.ID, r.Label, r.Value, r.AnsweredAt})
				}
				return a.printJSON(out)
			case "markdown":
				if err := render.SummaryMarkdown(a.io.Out, s.flow, s.sum, s.lang, a.summaryOptions(s)); err != nil {
					return err
				}
				fmt.Fprintln(a.io.Out)
				for _, m := range interviewFacts(iv, s) {
					fmt.Fprintf(a.io.Out, "- **%s**%s%s\n", m[0], words.Colon(s.lang), textsafe.Markdown(m[1]))
				}
				fmt.Fprintf(a.io.Out, "\n## %s\n\n", words.T(s.flow, s.lang, "answers"))
				if err := render.AnswersMarkdown(a.io.Out, rows); err != nil {
					return err
				}
				fmt.Fprintf(a.io.Out, "\n## %s\n\n", words.T(s.flow, s.lang, "audit_trail"))
				for _, e := range iv.Audit {
					f := nonEmpty(auditFields(e, s))
					for i := range f {
						f[i] = textsafe.Markdown(f[i])
					}
					fmt.Fprintf(a.io.Out, "- %s\n", strings.Join(f, " · "))
				}
				return nil
			}
			opt := a.summaryOptions(s)
			if err := render.Summary(a.io.Out, s.flow, s.sum, s.lang, opt); err != nil {
				return err
			}
			fmt.Fprintln(a.io.Out)
			tw := tabwriter.NewWriter(a.io.Out, 0, 0, 2, ' ', 0)
			for _, m := range interviewFacts(iv, s) {
				fmt.Fprintf(tw, "%s%s\t%s\n", m[0], strings.TrimRight(words.Colon(s.lang), " "), m[1])
			}
			tw.Flush()
			fmt.Fprintln(a.io.Out)
			for i := range rows { // in the zone of the rest of the page
				rows[i].AnsweredAt = rows[i].AnsweredAt.Local()
			}
			if err := render.Answers(a.io.Out, s.flow, rows, s.lang, opt); err != nil {
				return err
			}
			fmt.Fprintln(a.io.Out, "\n"+words.T(s.flow, s.lang, "audit_trail"))
			tw = tabwriter.NewWriter(a.io.Out, 0, 0, 2, ' ', 0)
			for _, e := range iv.Audit {
				// the question (a long label) last, so the columns stay narrow
				f := auditFields(e, s)
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", f[0], f[1], f[3], strings.Join(nonEmpty([]string{f[2], f[4]}), " — "))
			}
			return tw.Flush()
		},
	}
	c.Flags().StringVar(&format, "format", "text", "text, json or markdown")
	c.Flags().StringVar(&lang, "lang", "", "language of the text (default: the interview's)")
	return c
}

// interviewFacts are the record's details a handover needs: who, where,
// when, in which language, and the consent it rests on.
func interviewFacts(iv *store.Interview, s scored) [][2]string {
	w := func(id string, kv ...string) string { return words.T(s.flow, s.lang, id, kv...) }
	when := localTime
	var out [][2]string
	add := func(label, value string) {
		if value = render.Clean(value); value != "" {
			out = append(out, [2]string{label, value})
		}
	}
	add(w("meta_interviewer"), iv.Interviewer)
	add(w("meta_location"), iv.Location)
	add(w("meta_language"), iv.Language)
	add(w("meta_created"), when(iv.CreatedAt))
	if iv.CompletedAt != nil {
		add(w("meta_completed"), when(*iv.CompletedAt))
	}
	if c := iv.Consent; c != nil {
		id := "consent_refused"
		if c.Given {
			id = "consent_given"
		}
		add(w("meta_consent"), w(id, "at", when(c.At)))
	}
	for _, c := range correctionFacts(iv, w, when) {
		add(c[0], c[1])
	}
	return out
}

// auditFields are an audit event's time (to the second, in the zone of the
// rest of the document), event, question, interviewer and detail (a
// transfer's purpose, key fingerprints and bundle hash).
func auditFields(e store.AuditEvent, s scored) []string {
	event := words.T(s.flow, s.lang, "audit."+e.Event)
	if event == "" || event == "audit."+e.Event {
		event = render.Clean(e.Event) // an event only a bundle names
	}
	question := render.Clean(e.QuestionID)
	if q := s.flow.Question(e.QuestionID); q != nil {
		// the question in the reader's language, its ID in brackets
		question = render.Clean(s.flow.T(q.Label, s.lang)) + " [" + e.QuestionID + "]"
	}
	return []string{e.At.Local().Format(secondLayout), event, question, render.Clean(e.Interviewer), render.Clean(e.Detail)}
}

// nonEmpty drops empty fields, so a Markdown line has no empty " ·  · ".
func nonEmpty(fields []string) []string {
	out := fields[:0:0]
	for _, f := range fields {
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

func (a *app) deleteCmd() *cobra.Command {
	var yes bool
	c := &cobra.Command{
		Use:   "delete ID...",
		Short: "Erase interviews for good",
		Long: `Erases the interviews, then rewrites the store so that their bytes no longer
exist anywhere in the file.`,
		Example: `  fieldscreen delete 3e27485e
  fieldscreen delete 3e27485e 91fd2d0c --yes`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
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
		},
	}
	c.Flags().BoolVar(&yes, "yes", false, "do not ask for confirmation")
	return c
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
	tw := tabwriter.NewWriter(a.io.Err, 0, 0, 2, ' ', 0)
	for _, e := range entries {
		if want[e.ID] {
			fmt.Fprintf(tw, "  %s\t%s\tstarted %s\tchanged %s\t%s\n", shortID(e.ID), e.Status,
				localTime(e.CreatedAt), localTime(e.UpdatedAt), words.label(e))
		}
	}
	tw.Flush()
}

// retention is a purge period: a whole number of days, weeks, months or
// years. It is counted back from now with time.AddDate (calendar months
// and years), never as a time.Duration, which overflows after 292 years:
// 106752d as a Duration is negative, and its cutoff lies in the future.
type retention struct {
	n    int
	unit string // "d", "w", "mo" or "y"
}

// retentionLimit is the longest period per unit: 100 years. Anything
// longer is surely a typo.
var retentionLimit = map[string]int{"d": 36525, "w": 5218, "mo": 1200, "y": 100}

func (r retention) String() string { return strconv.Itoa(r.n) + r.unit }

// cutoff is the moment before which an interview counts as older.
func (r retention) cutoff(now time.Time) time.Time {
	switch r.unit {
	case "w":
		return now.AddDate(0, 0, -7*r.n)
	case "mo":
		return now.AddDate(0, -r.n, 0)
	case "y":
		return now.AddDate(-r.n, 0, 0)
	}
	return now.AddDate(0, 0, -r.n)
}

// parseAge reads a retention period: 90d, 12w, 6mo, 2y. A bare "m" is
// refused (minutes or months?), and so are 0 and more than 100 years. The
// number is read as digits only and bounded before use: nothing overflows.
func parseAge(s string) (retention, error) {
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	digits, unit := strings.TrimLeft(s[:i], "0"), strings.ToLower(s[i:])
	limit, ok := retentionLimit[unit]
	switch {
	case i == 0:
		return retention{}, fmt.Errorf("%q is not a period such as 90d, 12w, 6mo or 2y (days, weeks, months, years)", s)
	case unit == "m":
		return retention{}, fmt.Errorf("%q is ambiguous: m could be minutes or months; write months as mo (6mo) or days as d (180d)", s)
	case !ok:
		return retention{}, fmt.Errorf("%q is not a period such as 90d, 12w, 6mo or 2y: the units are d, w, mo and y", s)
	case digits == "":
		return retention{}, fmt.Errorf("%q would erase every interview, even one saved a moment ago: give at least 1d", s)
	case len(digits) > 6:
		return retention{}, fmt.Errorf("%q is too long: the longest period is 100 years (100y or %d%s)", s, limit, unit)
	}
	n, _ := strconv.Atoi(digits) // at most 6 digits: no overflow
	if n > limit {
		return retention{}, fmt.Errorf("%q is too long: the longest period is 100 years (100y or %d%s)", s, limit, unit)
	}
	return retention{n: n, unit: unit}, nil
}

func (a *app) purgeCmd() *cobra.Command {
	var older, status string
	var yes, dryRun bool
	c := &cobra.Command{
		Use:   "purge --older-than PERIOD",
		Short: "Erase interviews older than a retention period",
		Long: `Erases the interviews not changed for longer than PERIOD: a whole number of
days (90d), weeks (12w), months (6mo) or years (2y), from 1 day to 100
years. --dry-run lists what would be erased and erases nothing.

--status exported erases only interviews handed over in a bundle encrypted
to a recipient; purge them once the caseworker has confirmed the import.`,
		Example: `  fieldscreen purge --older-than 90d --status exported
  fieldscreen purge --older-than 6mo --dry-run
  fieldscreen purge --older-than 12w --yes`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if older == "" {
				return usageErr(c, "--older-than is required (for example 90d)")
			}
			age, err := parseAge(older)
			if err != nil {
				return usageErr(c, err.Error())
			}
			if err := validStatus(c, status); err != nil {
				return err
			}
			st, err := a.openStore(false)
			if err != nil {
				return err
			}
			entries, err := st.List(store.Status(status))
			if err != nil {
				return err
			}
			cut := age.cutoff(time.Now())
			var ids []string
			var old []store.Entry
			notReceived := 0
			for _, e := range entries {
				if !e.UpdatedAt.Before(cut) {
					continue
				}
				// 'exported' must mean handed over: an interview an
				// earlier version marked exported for a CSV file or a
				// plaintext bundle, which nobody named received, stays.
				if e.Status == store.StatusExported && status == string(store.StatusExported) {
					iv, err := st.Get(e.ID)
					if err != nil {
						return err
					}
					if !bundle.HandedOver(iv) {
						notReceived++
						continue
					}
				}
				ids = append(ids, e.ID)
				old = append(old, e)
			}
			if notReceived > 0 {
				fmt.Fprintf(a.io.Err, "fieldscreen: kept %d interview(s) marked exported that no bundle to a recipient holds (a CSV file or a --plaintext bundle): nobody is known to have received them\n", notReceived)
			}
			if len(ids) == 0 {
				fmt.Fprintln(a.io.Err, "Nothing to purge.")
				return nil
			}
			if dryRun {
				words := a.outcomeWords(st, "")
				tw := tabwriter.NewWriter(a.io.Out, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tSTATUS\tCREATED\tUPDATED\tOUTCOME")
				for _, e := range old {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", shortID(e.ID), e.Status, localTime(e.CreatedAt), localTime(e.UpdatedAt), words.label(e))
				}
				if err := tw.Flush(); err != nil {
					return err
				}
				fmt.Fprintf(a.io.Err, "Would erase %d interview(s) last changed before %s; nothing was erased (--dry-run).\n", len(ids), localTime(cut))
				return nil
			}
			if !yes {
				a.describeInterviews(st, ids)
				if err := a.confirm(fmt.Sprintf("Erase %d interview(s) last changed before %s?", len(ids), localTime(cut)), "--yes"); err != nil {
					return err
				}
			}
			if err := st.Delete(ids...); err != nil {
				return err
			}
			fmt.Fprintf(a.io.Err, "Erased %d interview(s).\n", len(ids))
			return nil
		},
	}
	c.Flags().StringVar(&older, "older-than", "", "erase interviews not changed for this long: days, weeks, months or years (90d, 12w, 6mo, 2y)")
	c.Flags().StringVar(&status, "status", "", "only interviews with this status")
	c.Flags().BoolVar(&yes, "yes", false, "do not ask for confirmation")
	c.Flags().BoolVar(&dryRun, "dry-run", false, "list the interviews that would be erased, and erase nothing")
	return c
}

func (a *app) checkCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "check",
		Short: "Verify the whole store: its structure, and that every record decrypts",
		Example: `  fieldscreen check
  FIELDSCREEN_DB=backup.db fieldscreen check`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
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
		},
	}
}

// withStore opens the existing store and runs fn with it.
func (a *app) withStore(fn func(st *store.Store, args []string) error) func(*cobra.Command, []string) error {
	return func(_ *cobra.Command, args []string) error {
		st, err := a.openStore(false)
		if err != nil {
			return err
		}
		return fn(st, args)
	}
}

func (a *app) keyCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "key",
		Short: "Manage the passphrases that unlock the store",
		Long: `A store can be unlocked by several passphrases (for example one per
interviewer); each passphrase opens the store's own key. Changing or
removing a passphrase re-wraps or removes only that, so an old copy of the
store file still opens with the old passphrase: 'key rotate' (offered by
'key change' and 'key remove', or --rotate) re-encrypts every interview
under a new key, which the old passphrase and old copies cannot open.
Rotating keeps only the passphrase it runs with: add the others again.`,
		Example: `  fieldscreen key list
  fieldscreen key add
  fieldscreen key change --rotate
  fieldscreen key remove 3f2a
  fieldscreen key rotate`,
	}
	var rotateAfter, yes bool
	add := &cobra.Command{
		Use: "add", Short: "Add another passphrase that unlocks the store", Args: cobra.NoArgs,
		RunE: a.withStore(func(st *store.Store, _ []string) error {
			p, err := a.newPassphrase("FIELDSCREEN_NEW_PASSPHRASE")
			if err != nil {
				return err
			}
			id, err := st.AddKey(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.io.Err, "Added key %s\n", id)
			return nil
		}),
	}
	list := &cobra.Command{
		Use: "list", Short: "List the store's keys", Args: cobra.NoArgs,
		RunE: a.withStore(func(st *store.Store, _ []string) error {
			keys, err := st.ListKeys()
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.io.Out, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "KEY\tCREATED\tIN USE")
			for _, k := range keys {
				cur := ""
				if k.Current {
					cur = "this session"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\n", k.ID, localTime(k.Created), cur)
			}
			return tw.Flush()
		}),
	}
	remove := &cobra.Command{
		Use: "remove KEY", Short: "Remove a key (never the last one)", Args: cobra.ExactArgs(1),
		RunE: a.withStore(func(st *store.Store, args []string) error {
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
			return a.offerRotate(st, rotateAfter, "whoever had that passphrase and a copy of the store file, or its key, could still read what is added from now on")
		}),
	}
	change := &cobra.Command{
		Use: "change", Short: "Change the passphrase used to open the store", Args: cobra.NoArgs,
		RunE: a.withStore(func(st *store.Store, _ []string) error {
			p, err := a.newPassphrase("FIELDSCREEN_NEW_PASSPHRASE")
			if err != nil {
				return err
			}
			if err := st.ChangePassphrase(a.pass, p); err != nil {
				return err
			}
			clear(a.pass)
			a.pass = p
			fmt.Fprintln(a.io.Err, "Passphrase changed.")
			return a.offerRotate(st, rotateAfter, "an old copy of the store file still opens with the old passphrase")
		}),
	}
	for _, cmd := range []*cobra.Command{remove, change} {
		cmd.Flags().BoolVar(&rotateAfter, "rotate", false, "then re-encrypt every interview under a new key (other passphrases must be added again)")
	}
	rotate := &cobra.Command{
		Use:   "rotate",
		Short: "Re-encrypt every interview under a new key",
		Long: `Re-encrypts every record of the store under a new key, wrapped by the
passphrase this command opens the store with. An old copy of the store file,
with any passphrase that opened it, then opens nothing written afterwards.
Every other passphrase is removed (fieldscreen cannot re-wrap a key for a
passphrase it does not know): add them again with 'fieldscreen key add'.
Another fieldscreen command that has the store open must be run again.`,
		Example: `  fieldscreen key rotate
  fieldscreen key rotate --yes      # without a terminal, when other keys will be removed`,
		Args: cobra.NoArgs,
		RunE: a.withStore(func(st *store.Store, _ []string) error {
			keys, err := st.ListKeys()
			if err != nil {
				return err
			}
			if others := len(keys) - 1; others > 0 && !yes {
				if err := a.confirm(fmt.Sprintf("Re-encrypt the store under a new key and remove the %d other passphrase(s)?", others), "--yes"); err != nil {
					return err
				}
			}
			return a.rotate(st)
		}),
	}
	rotate.Flags().BoolVar(&yes, "yes", false, "do not ask before removing the other passphrases")
	c.AddCommand(add, list, remove, change, rotate)
	return c
}

// offerRotate follows a change or removal of a passphrase: with --rotate
// it rotates the store's key, at a terminal it asks, and otherwise it says
// why one might.
func (a *app) offerRotate(st *store.Store, rotate bool, why string) error {
	if rotate {
		return a.rotate(st)
	}
	if !a.io.InTerminal() {
		fmt.Fprintf(a.io.Err, "hint: %s; 'fieldscreen key rotate' re-encrypts the store under a new key\n", why)
		return nil
	}
	keys, err := st.ListKeys()
	if err != nil {
		return err
	}
	q := "Re-encrypt every interview under a new key now?"
	if others := len(keys) - 1; others > 0 {
		q = fmt.Sprintf("Re-encrypt every interview under a new key now? The %d other passphrase(s) would have to be added again.", others)
	}
	fmt.Fprintf(a.io.Err, "Note: %s.\n", why)
	if err := a.confirm(q, "--rotate"); err != nil {
		if errors.Is(err, errCancelled) {
			fmt.Fprintln(a.io.Err, "Not re-encrypted; 'fieldscreen key rotate' does it later.")
			return nil
		}
		return err
	}
	return a.rotate(st)
}

func (a *app) rotate(st *store.Store) error {
	removed, err := st.Rotate(a.pass)
	if err != nil {
		return err
	}
	fmt.Fprintln(a.io.Err, "Re-encrypted the store under a new key.")
	if len(removed) > 0 {
		fmt.Fprintf(a.io.Err, "Removed %d other key(s): %s; add their passphrases again with 'fieldscreen key add'.\n", len(removed), strings.Join(removed, ", "))
	}
	return nil
}

// newPassphrase asks for a new passphrase twice, or reads it from env for
// scripts; the store's own passphrase variables are not a new one.
func (a *app) newPassphrase(env string) ([]byte, error) {
	if p := a.io.Getenv(env); p != "" {
		if err := checkNewPassphrase([]byte(p), env); err != nil {
			return nil, err
		}
		return []byte(p), nil
	}
	p, err := a.promptPassphrase("New passphrase: ", true)
	if err != nil && strings.Contains(err.Error(), "no terminal") {
		return nil, withHint(errors.New("a new passphrase is needed and there is no terminal to ask for it"), ExitError, "set %s for scripts", env)
	}
	return p, err
}
