package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"fieldscreen/internal/forms"
	"fieldscreen/internal/record"
	"fieldscreen/internal/session"
	"fieldscreen/internal/store"
	"fieldscreen/internal/words"
	"fieldscreen/questionnaire"
)

// amendOptions is what 'fieldscreen amend' was asked.
type amendOptions struct {
	*app
	cmd         *cobra.Command
	args        []string
	reason      string
	answers     string
	interviewer string
	format      string
	yes         bool
	accessible  bool
}

// amendCmd is 'fieldscreen amend'. runF, when not nil, runs instead of
// runAmend.
func (a *app) amendCmd(runF func(*amendOptions) error) *cobra.Command {
	o := &amendOptions{app: a}
	c := &cobra.Command{
		Use:   "amend ID --reason TEXT",
		Short: "Correct a completed interview (the person's right to rectification)",
		Long: `Corrects a completed interview: it opens at its review screen, where any
answer can be changed as during the interview, and the correction is saved
when you choose to save it. Stopped before (Ctrl-C), nothing changes.

With --answers FILE, the file gives the whole interview as corrected, in
the format of 'fieldscreen interview --answers' (only its answers are
used). Answers the correction removes are listed first, and need --yes
without a terminal.

The interview is rescored with the flow it was taken with. Its audit trail
keeps every change (by question, never the answers) and the reason. An
interview exported before it was corrected is marked in 'list' and 'show',
and its next export carries the correction, so the recipients can be sent
the corrected version.`,
		Example: `  fieldscreen amend 3e27485e --reason "the person corrected their age"
  fieldscreen amend 3e27485e --reason "interpreter error on fears_return" --answers corrected.yaml`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: a.completeIDs("", true),
		RunE: func(c *cobra.Command, args []string) error {
			if strings.TrimSpace(o.reason) == "" {
				return usageErr(c, "--reason is required: say why the interview is corrected (it is kept in its audit trail)")
			}
			if err := checkEnums(c, "format"); err != nil {
				return err
			}
			o.cmd, o.args = c, args
			if runF != nil {
				return runF(o)
			}
			return runAmend(o)
		},
	}
	f := c.Flags()
	f.StringVar(&o.reason, "reason", "", "why the interview is corrected (required; kept in its audit trail)")
	f.StringVar(&o.answers, "answers", "", "the whole interview's answers as corrected, from an answers file, instead of the terminal form")
	f.StringVar(&o.interviewer, "interviewer", "", "who makes the correction (default: the interviewer setting, else the interview's interviewer)")
	formatVar(c, &o.format, "text", "summary format: {or}", "text", "json")
	f.BoolVar(&o.yes, "yes", false, "with --answers: remove the answers the correction drops without asking")
	f.BoolVar(&o.accessible, "accessible", false, "plain line prompts a screen reader can speak (also FIELDSCREEN_ACCESSIBLE=1)")
	return c
}

// runAmend corrects the interview the argument names.
func runAmend(o *amendOptions) error {
	return o.amend(o.cmd, o.args[0], o)
}

func (a *app) amend(c *cobra.Command, arg string, o *amendOptions) error {
	accessible := o.accessible || a.io.Getenv("FIELDSCREEN_ACCESSIBLE") == "1" || a.io.Getenv("TERM") == "dumb"
	// What can fail without the store fails before its passphrase is asked.
	if o.answers != "" {
		if _, err := os.Stat(o.answers); err != nil {
			return withHint(fmt.Errorf("cannot read answers file %s: %w", o.answers, errors.Unwrap(err)), ExitError, "check the file name")
		}
	} else if !a.io.InTerminal() && !accessible {
		return withHint(errors.New("no terminal to correct the interview in"), ExitUsage,
			"run it in a terminal; or use --accessible for plain line prompts; or give the corrected answers with --answers FILE")
	}
	st, err := a.openStore(false)
	if err != nil {
		return err
	}
	id, err := resolveID(st, arg)
	if err != nil {
		return err
	}
	iv, err := st.Get(id)
	if err != nil {
		return err
	}
	if iv.Status == record.StatusDraft {
		return withHint(fmt.Errorf("interview %s is a draft, not completed: there is nothing to amend yet", shortID(iv.ID)), ExitError,
			"change its answers as you finish it: 'fieldscreen interview --resume %s'", shortID(iv.ID))
	}
	f, err := newFlowCache(st, nil).get(iv)
	if err != nil {
		return err
	}
	who := firstNonEmpty(o.interviewer, a.configDefault("interviewer"), iv.Interviewer)
	var res session.Amendment
	var done *record.Interview
	if o.answers != "" {
		done, res, err = a.amendFromFile(st, f, iv, who, o)
	} else {
		done, res, err = a.amendLive(c, st, f, iv, strings.TrimSpace(o.reason), who, accessible)
	}
	if err != nil {
		return err
	}
	lang := f.Lang(iv.Language)
	// What happened is said in the interview's language, as its screens
	// and its pause are.
	say := func(id string, kv ...string) { fmt.Fprintln(a.io.Err, words.T(f, lang, id, kv...)) }
	if res.Empty() {
		say("cli_amend_nothing", "id", shortID(iv.ID))
		return nil
	}
	// The old answers live on in the file's free pages until it is
	// rewritten: rewrite it now.
	if err := st.Compact(); err != nil {
		fmt.Fprintf(a.io.Err, "fieldscreen: warning: the correction is saved, but the old answers could not be erased from the file yet: %v\n", err)
	}
	say("cli_amended", "id", shortID(iv.ID))
	for _, l := range []struct {
		what string
		ids  []string
	}{{"cli_amend_changed", res.Changed}, {"cli_amend_answered", res.Answered}, {"cli_amend_removed", res.Dropped}} {
		for _, id := range l.ids {
			fmt.Fprintf(a.io.Err, "  %s%s%s\n", words.T(f, lang, l.what), words.Colon(lang), questionLabel(f, id, lang))
		}
	}
	if res.OldOutcome != res.Outcome {
		say("cli_amend_outcome", "from", outcomeText(f, lang, res.OldOutcome), "to", outcomeText(f, lang, res.Outcome))
	}
	if res.AfterExport {
		say("cli_amend_after_export")
	}
	return a.printSummary(summarized(f, done, res.Summary(), ""), o.format)
}

// amendLive opens the interview at its review screen.
func (a *app) amendLive(c *cobra.Command, st *store.Store, f *questionnaire.Flow, iv *record.Interview, reason, who string, accessible bool) (*record.Interview, session.Amendment, error) {
	s, err := session.StartAmending(st, iv, f, reason, who)
	if err != nil {
		return nil, session.Amendment{}, err
	}
	a.waitForStore(st)
	done, err := forms.Run(c.Context(), forms.Options{
		Interview: s, Lang: f.Lang(iv.Language),
		In: a.formInput(c.Context(), accessible), Out: a.io.Out, Accessible: accessible, Color: a.color(),
	})
	if errors.Is(err, forms.ErrQuit) {
		return nil, session.Amendment{}, &interrupted{msg: words.T(f, f.Lang(iv.Language), "cli_amend_stopped", "id", shortID(iv.ID))}
	}
	if err != nil {
		return nil, session.Amendment{}, err
	}
	return done, s.Amendment(), nil
}

// amendFromFile takes the corrected answers from an answers file. The
// answers it removes are listed and confirmed first.
func (a *app) amendFromFile(st *store.Store, f *questionnaire.Flow, iv *record.Interview, who string, o *amendOptions) (*record.Interview, session.Amendment, error) {
	af, err := a.readAnswersFile(f, o.answers)
	if err != nil {
		return nil, session.Amendment{}, err
	}
	reason := strings.TrimSpace(o.reason)
	amend := func(x *record.Interview) (session.Amendment, error) {
		res, err := session.Amend(x, f, af.Answers, reason, who, time.Now().UTC())
		var p *session.AnswerProblem
		if errors.As(err, &p) {
			return res, withHint(fmt.Errorf("%s: %w", o.answers, err), ExitInvalid,
				"the file must give the whole interview as corrected, as 'fieldscreen interview --answers' takes it")
		}
		return res, err
	}
	// A dry run on a copy says what the correction removes.
	preview, err := st.Get(iv.ID)
	if err != nil {
		return nil, session.Amendment{}, err
	}
	res, err := amend(preview)
	if err != nil || res.Empty() {
		return iv, res, err
	}
	if len(res.Dropped) > 0 && !o.yes {
		lang := f.Lang(iv.Language)
		fmt.Fprintf(a.io.Err, "The correction removes the answers to these questions, which it no longer asks or the file leaves out:\n")
		for _, id := range res.Dropped {
			fmt.Fprintf(a.io.Err, "  - %s\n", questionLabel(f, id, lang))
		}
		if err := a.confirm(fmt.Sprintf("Remove %d answer(s) from interview %s for good?", len(res.Dropped), shortID(iv.ID)), "--yes"); err != nil {
			if errors.Is(err, errCancelled) {
				return nil, session.Amendment{}, withHint(errors.New("correction cancelled; nothing was changed"), ExitError, "check the answers file")
			}
			return nil, session.Amendment{}, err
		}
	}
	var out session.Amendment
	done, err := st.Update(iv.ID, func(x *record.Interview) error {
		var err error
		out, err = amend(x)
		return err
	})
	if err != nil {
		return nil, session.Amendment{}, err
	}
	return done, out, nil
}

// questionLabel is question id's label in lang, or the ID if the flow
// has no such question.
func questionLabel(f *questionnaire.Flow, id, lang string) string {
	if q := f.Question(id); q != nil {
		if l := f.T(q.Label, lang); l != "" {
			return l
		}
	}
	return id
}

// outcomeText is an outcome value in words, as the summary's headline.
func outcomeText(f *questionnaire.Flow, lang, v string) string {
	for _, fd := range f.Findings {
		if fd.Field != "outcome" {
			continue
		}
		for _, c := range fd.Cases {
			if c.Value == v && !c.Label.Empty() {
				return f.T(c.Label, lang)
			}
		}
	}
	return v
}
