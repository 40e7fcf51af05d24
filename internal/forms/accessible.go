package forms

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"

	"fieldscreen/internal/record"
	"fieldscreen/questionnaire"
)

// The accessible mode is our own: plain lines a screen reader speaks, one
// line read per answer from a single buffered reader, so input piped from
// a file works too. (huh's accessible mode reads ahead, asks hidden
// groups and never recomputes options, so it is not used.)

type plain struct {
	r   *runner
	in  *bufio.Reader
	out io.Writer
	ctx context.Context

	// In a terminal, an empty line that comes within enterGuard of a
	// prompt is an Enter pressed twice, or held, on the prompt before; it
	// is ignored once per prompt with a word (piped input is read as is).
	tty     bool
	asked   time.Time // when the last prompt was printed
	ignored bool      // the guard has spoken since
}

// errBack is a line that asked to go back.
var errBack = errors.New("back")

func runAccessible(ctx context.Context, r *runner) (*record.Interview, error) {
	p := &plain{r: r, in: bufio.NewReader(r.in), out: r.out, ctx: ctx}
	if f, ok := r.in.(interface{ Fd() uintptr }); ok {
		p.tty = term.IsTerminal(f.Fd())
	}
	p.printf("%s\n", r.f.T(r.f.Title, r.lang))
	p.printf("%s\n", r.t("plain.keys"))
	for {
		if ctx.Err() != nil {
			return nil, ErrQuit
		}
		var err error
		switch r.cur.kind {
		case kindIntro, kindNote:
			err = p.note()
		case kindQuestion:
			err = p.question()
		case kindConfirm:
			err = p.confirm()
		case kindReview:
			var iv *record.Interview
			iv, err = p.review()
			if err == nil && iv != nil {
				p.printf("\n%s\n", r.reviewWord("plain.completed"))
				return iv, nil
			}
		}
		if errors.Is(err, errBack) {
			err = r.back()
		}
		if err != nil {
			return nil, err
		}
	}
}

func (p *plain) printf(format string, args ...any) { fmt.Fprintf(p.out, format, args...) }

// line reads one line. EOF (nothing more to read) pauses the interview.
func (p *plain) line() (string, error) {
	s, err := p.in.ReadString('\n')
	switch {
	case errors.Is(err, io.EOF) && s == "":
		p.printf("\n")
		return "", ErrQuit
	case err != nil && !errors.Is(err, io.EOF):
		return "", err
	}
	if p.ctx.Err() != nil {
		return "", ErrQuit
	}
	return strings.TrimRight(s, "\r\n"), nil
}

// prompted marks the moment a prompt was printed, for the Enter guard.
func (p *plain) prompted() { p.asked, p.ignored = time.Now(), false }

// command reads the line and handles b and q.
func (p *plain) command() (string, error) {
	s, err := p.line()
	for err == nil && p.tty && strings.TrimSpace(s) == "" && time.Since(p.asked) < enterGuard {
		if !p.ignored {
			p.printf("%s\n", p.r.t("tui.enter_guard"))
			p.ignored = true
		}
		p.asked = time.Now() // a held key repeats: wait for it to stop
		s, err = p.line()
	}
	if err != nil {
		return "", err
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "b":
		return "", errBack
	case "q":
		return "", ErrQuit
	}
	return s, nil
}

func (p *plain) note() error {
	r := p.r
	q := r.cur.q
	if r.cur.kind == kindIntro {
		p.printf("\n%s\n%s\n", r.section(q), r.f.T(q.Section.Intro, r.lang))
	} else {
		p.printf("\n%s\n", r.t("plain.note", "text", r.f.T(q.Label, r.lang)))
		if h := r.f.T(q.Hint, r.lang); h != "" {
			p.printf("%s\n", r.t("plain.hint", "text", h))
		}
	}
	p.printf("%s\n", r.t("plain.press_enter"))
	p.prompted()
	if _, err := p.command(); err != nil {
		return err
	}
	r.proceed()
	return nil
}

func (p *plain) question() error {
	r := p.r
	q := r.cur.q
	p.printf("\n%s\n", r.section(q))
	if o := r.observation(q); o != "" {
		p.printf("%s\n", o) // before the question, so it is heard first
	}
	p.printf("%s\n", r.f.T(q.Label, r.lang))
	if h := r.f.T(q.Hint, r.lang); h != "" {
		p.printf("%s\n", r.t("plain.hint", "text", h))
	}
	refs, err := r.referralLines(q)
	if err != nil {
		return err
	}
	for _, l := range refs {
		p.printf("%s\n", l)
	}
	opts := options(r.f, q, r.lang)
	kf := formOf(q)
	if kf.widget == pickOne || kf.widget == pickMany {
		for i, o := range opts {
			p.printf("  %d. %s\n", i+1, o.label)
		}
	}
	var how []string
	if kf.line != nil {
		how = append(how, kf.line(r, q))
	}
	if !q.Required {
		how = append(how, r.t("plain.dont_know"), r.t("plain.declined"))
	}
	cur, has := r.answer(q)
	switch {
	case has:
		how = append(how, r.t("plain.keep", "value", valueText(r.f, q, cur, r.lang)))
	case !q.Required:
		how = append(how, r.t("plain.leave_empty"))
	}
	p.printf("%s.\n", strings.Join(how, r.t("plain.list_sep")))
	p.prompted()
	for {
		s, err := p.command()
		if err != nil {
			return err
		}
		var v any
		if strings.TrimSpace(s) == "" && has {
			v = cur
		} else {
			v, err = parseLine(r, q, opts, s)
		}
		if err == nil {
			v, err = r.check(q, v)
		}
		if err != nil {
			p.printf("%s\n", r.t("plain.not_saved", "error", strings.TrimSuffix(err.Error(), ".")))
			p.prompted()
			continue
		}
		if err := r.submit(q, v); err != nil {
			return err
		}
		if r.ask != nil {
			return nil // the change is confirmed first
		}
		p.printf("%s\n", r.t("plain.saved", "value", valueText(r.f, q, v, r.lang)))
		if n := r.changeNote(); n != "" {
			p.printf("%s\n", n)
		}
		return nil
	}
}

// parseLine reads a typed answer: a number from the list (several, comma
// separated, for a multi), a value or label as written, d or ? for don't
// know, x for declined, empty for unanswered. Its messages are in the
// interview's language.
func parseLine(r *runner, q *questionnaire.Question, opts []option, s string) (any, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if v, ok := special(s); ok {
		return v, nil
	}
	kf := formOf(q)
	pick := func(t string) (string, error) {
		t = strings.TrimSpace(t)
		if n, err := strconv.Atoi(t); err == nil {
			if n < 1 || n > len(opts) {
				return "", errors.New(r.t("plain.err.not_in_list", "n", strconv.Itoa(n), "max", strconv.Itoa(len(opts))))
			}
			return opts[n-1].value, nil
		}
		for _, o := range opts {
			if strings.EqualFold(t, o.value) || strings.EqualFold(t, o.label) {
				return o.value, nil
			}
		}
		if kf.yesNo {
			switch l := strings.ToLower(t); {
			case l == "y" || l == r.t("key.yes"):
				return "yes", nil
			case l == "n" || l == r.t("key.no"):
				return "no", nil
			}
		}
		if _, ok := special(t); ok {
			return "", errors.New(r.t("plain.err.special_alone"))
		}
		return "", errors.New(r.t("plain.err.not_a_choice", "value", t))
	}
	switch kf.widget {
	case pickOne:
		return pick(s)
	case pickMany:
		var list []string
		for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' }) {
			if strings.TrimSpace(part) == "" {
				continue
			}
			v, err := pick(part)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		return list, nil
	}
	if kf.number {
		if n, err := strconv.Atoi(s); err == nil {
			return n, nil
		}
	}
	return s, nil // Check says what is wrong
}

func (p *plain) review() (*record.Interview, error) {
	r := p.r
	items, err := r.reviewItems()
	if err != nil {
		return nil, err
	}
	p.printf("\n%s\n", r.t("plain.review"))
	for i, q := range items {
		v, _ := r.answer(q)
		p.printf("  %d. %s: %s\n", i+1, r.f.T(q.Label, r.lang), valueText(r.f, q, v, r.lang))
	}
	if note := r.setAsideNote(); note != "" {
		p.printf("%s\n", note)
	}
	p.printf("%s\n", r.reviewWord("plain.review_how"))
	p.prompted()
	for {
		s, err := p.command()
		if err != nil {
			return nil, err
		}
		s = strings.ToLower(strings.TrimSpace(s))
		if s == "c" || s == "complete" {
			return r.complete()
		}
		if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= len(items) {
			r.change(items[n-1])
			return nil, nil
		}
		p.printf("%s\n", r.t("plain.review_retry", "n", strconv.Itoa(len(items))))
	}
}
