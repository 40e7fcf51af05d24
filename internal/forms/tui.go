package forms

import (
	"context"
	"errors"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"

	"fieldscreen/internal/store"
	"fieldscreen/questionnaire"
)

// One tea.Program runs the whole interview; each screen is a fresh
// one-field huh form swapped in by tui. huh has no "leave the form
// backwards" result, so tui takes the back and pause keys before the
// form sees them.
var (
	keyBack  = key.NewBinding(key.WithKeys("esc", "ctrl+b", "shift+tab"), key.WithHelp("esc", "back"))
	keyPause = key.NewBinding(key.WithKeys("ctrl+c", "ctrl+q"), key.WithHelp("ctrl+c", "pause"))
)

// The choice values that stand for the answers every optional question takes.
const (
	optDontKnow = questionnaire.DontKnow
	optDeclined = questionnaire.Declined
	optComplete = "\x00complete"
)

type tui struct {
	r      *runner
	keymap *huh.KeyMap
	theme  huh.Theme
	st     styles

	form  *huh.Form
	field huh.Field
	read  func() any // the answer on the form, after it completed
	// listHeight sizes a list field to the screen (huh sizes a
	// multi-select's list too short by itself); nil for other fields.
	listHeight func() int

	width, height int
	bg            tea.Msg // the last BackgroundColorMsg, for new forms

	err  error
	quit bool
	done *store.Interview
}

type styles struct {
	section, status, help, errText, observation lipgloss.Style
}

func newTUI(r *runner) *tui {
	km := huh.NewDefaultKeyMap()
	// Typing must never filter a list, and "select all" makes no sense
	// with exclusive choices.
	km.Select.Filter.SetEnabled(false)
	km.MultiSelect.Filter.SetEnabled(false)
	km.MultiSelect.SelectAll.SetEnabled(false)
	km.MultiSelect.SelectNone.SetEnabled(false)
	km.Quit.SetEnabled(false) // handled here, as pause
	for _, b := range []*key.Binding{&km.Input.Prev, &km.Select.Prev, &km.MultiSelect.Prev, &km.Note.Prev, &km.Text.Prev} {
		b.SetEnabled(false) // shift+tab is our back key
	}
	m := &tui{r: r, keymap: km, theme: cachedTheme(huh.ThemeCharm), width: 80, height: 24}
	if f, ok := r.out.(interface{ Fd() uintptr }); ok {
		if w, h, err := term.GetSize(f.Fd()); err == nil && w > 0 && h > 0 {
			m.width, m.height = w, h
		}
	}
	m.st = styles{
		section: lipgloss.NewStyle().Bold(true),
		status:  lipgloss.NewStyle().Italic(true),
		help:    lipgloss.NewStyle().Faint(true),
		errText: lipgloss.NewStyle().Bold(true),
		// Reverse video reads as a label even without colour.
		observation: lipgloss.NewStyle().Bold(true).Reverse(true),
	}
	m.load()
	return m
}

// cachedTheme builds each variant of a theme once: huh asks for the theme
// again for every option it draws, and building it is most of the cost of
// a frame.
func cachedTheme(build func(isDark bool) *huh.Styles) huh.Theme {
	var dark, light *huh.Styles
	return huh.ThemeFunc(func(isDark bool) *huh.Styles {
		if isDark {
			if dark == nil {
				dark = build(true)
			}
			return dark
		}
		if light == nil {
			light = build(false)
		}
		return light
	})
}

func runTUI(ctx context.Context, r *runner) (*store.Interview, error) {
	m := newTUI(r)
	opts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithInput(r.in), tea.WithOutput(r.out)}
	if !r.o.Color {
		opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
	}
	_, err := tea.NewProgram(m, opts...).Run()
	switch {
	case m.err != nil:
		return nil, m.err
	case m.done != nil:
		return m.done, nil
	case m.quit, errors.Is(err, tea.ErrInterrupted), errors.Is(err, tea.ErrProgramKilled):
		return nil, ErrQuit
	case err != nil:
		return nil, err
	}
	return nil, ErrQuit
}

func (m *tui) Init() tea.Cmd {
	if m.err != nil {
		return tea.Quit
	}
	return tea.Batch(tea.RequestBackgroundColor, m.form.Init())
}

// load builds the form for the screen the runner is on.
func (m *tui) load() tea.Cmd {
	r := m.r
	var field huh.Field
	m.read = func() any { return nil }
	m.listHeight = nil
	switch r.cur.kind {
	case kindIntro:
		q := r.cur.q
		field = huh.NewNote().Title(r.f.T(q.Section.Title, r.lang)).
			Description(r.f.T(q.Section.Intro, r.lang)).Next(true).NextLabel(r.t("tui.continue"))
	case kindNote:
		q := r.cur.q
		field = huh.NewNote().Title(r.f.T(q.Label, r.lang)).
			Description(r.f.T(q.Hint, r.lang)).Next(true).NextLabel(r.t("tui.continue"))
	case kindQuestion:
		field = m.questionField(r.cur.q)
	case kindReview:
		field = m.reviewField()
	case kindConfirm:
		field = m.confirmField()
	}
	// Themed before the group first draws it, so the default theme is
	// never built.
	field = field.WithTheme(m.theme).WithKeyMap(m.keymap)
	m.field = field
	m.fitList()
	m.form = huh.NewForm(huh.NewGroup(field)).
		WithKeyMap(m.keymap).WithTheme(m.theme).WithShowHelp(false).WithShowErrors(true)
	cmd := m.form.Init()
	// The new screen is drawn at once at the right size and colours,
	// without waiting for the terminal to answer again.
	if bg, ok := m.bg.(tea.BackgroundColorMsg); ok && bg.IsDark() { // light is huh's default
		m.form.Update(bg)
	}
	if m.width > 0 {
		m.form.Update(m.formSize())
	}
	if m.err != nil {
		return tea.Quit // the screen could not be built; the error is reported
	}
	return cmd
}

// fitList gives a list field the height of its title, description and
// options, or of the screen if that is less (the list then scrolls).
func (m *tui) fitList() {
	if m.listHeight != nil {
		m.field.WithHeight(m.listHeight())
	}
}

func (m *tui) listSize(title, desc string, options int) func() int {
	return func() int {
		fs := m.formSize()
		w := max(fs.Width-4, 10) // the border and padding of a field
		h := textHeight(title, w) + textHeight(desc, w) + options + 1
		return min(h, fs.Height)
	}
}

func textHeight(s string, width int) int {
	if s == "" {
		return 0
	}
	return lipgloss.Height(lipgloss.NewStyle().Width(width).Render(s))
}

func (m *tui) formSize() tea.WindowSizeMsg {
	// Header, status and help lines take 5 rows.
	return tea.WindowSizeMsg{Width: min(m.width, 100), Height: max(m.height-5, 5)}
}

func (m *tui) questionField(q *questionnaire.Question) huh.Field {
	r := m.r
	label := r.f.T(q.Label, r.lang)
	hint := r.f.T(q.Hint, r.lang)
	cur, has := r.answer(q)
	extra := func(opts []huh.Option[string]) []huh.Option[string] {
		if q.Required {
			return opts
		}
		return append(opts, huh.NewOption(r.t("dont_know"), optDontKnow), huh.NewOption(r.t("declined"), optDeclined))
	}
	var base []huh.Option[string]
	for _, o := range options(r.f, q, r.lang) {
		base = append(base, huh.NewOption(o.label, o.value))
	}
	refs, err := r.referralLines(q)
	if err != nil {
		m.err = err
	}
	switch q.Type {
	case questionnaire.TypeYesNo, questionnaire.TypeChoice:
		v, _ := cur.(string)
		m.read = func() any { return v }
		hint := m.listDescription(label, hint, "", refs, len(extra(base)))
		m.listHeight = m.listSize(label, hint, len(extra(base)))
		return huh.NewSelect[string]().Title(label).Description(hint).
			Options(extra(base)...).Value(&v).
			Validate(func(s string) error { _, err := r.check(q, s); return err })
	case questionnaire.TypeMulti:
		var v []string
		switch x := cur.(type) {
		case []string:
			v = slices.Clone(x)
		case string:
			v = []string{x}
		}
		m.read = func() any { return listValue(v) }
		none := ""
		if !q.Required {
			none = r.t("tui.multi_none")
		}
		desc := m.listDescription(label, hint, none, refs, len(extra(base)))
		m.listHeight = m.listSize(label, desc, len(extra(base)))
		return huh.NewMultiSelect[string]().Title(label).Description(desc).
			Options(extra(base)...).Value(&v).
			Validate(func(list []string) error {
				if len(list) > 1 && (slices.Contains(list, optDontKnow) || slices.Contains(list, optDeclined)) {
					return errors.New(r.t("tui.err.special_alone"))
				}
				_, err := r.check(q, listValue(list))
				return err
			})
	default: // integer, text
		v := ""
		if has {
			v = typedText(cur)
		}
		m.read = func() any { return typedValue(q, v, false) }
		how := r.t("tui.type_text")
		if q.Type == questionnaire.TypeInteger {
			how = r.t("tui.type_integer", "range", r.numberRange(q))
		}
		if !q.Required {
			how += " " + r.t("tui.type_special")
		}
		desc := joinLines(hint, how)
		if len(refs) > 0 {
			desc = joinLines(strings.Join(refs, "\n"), desc)
		}
		return huh.NewInput().Title(label).Description(desc).Value(&v).
			Validate(func(s string) error { _, err := r.check(q, typedValue(q, s, false)); return err })
	}
}

// minListRows is how many options of a list a question's description
// leaves visible, at least, when it has to give up lines to fit the
// screen; the list scrolls for the rest.
const minListRows = 6

// listDescription is the description of a list question: its hint, the
// referrals to explain (refs, on the referral consent question) and a
// last line (how to leave it unanswered), all of them when they fit the
// screen above at least minListRows options. On a small screen the
// referrals stay, since the interviewer explains them from this screen;
// the last line goes first, then the hint (the section's intro, shown
// just before, says the same), then the heading of the referrals; the
// list then shows fewer options.
func (m *tui) listDescription(title, hint, last string, refs []string, options int) string {
	if len(refs) == 0 {
		return joinLines(hint, last)
	}
	block := strings.Join(refs, "\n")
	fs := m.formSize()
	w := max(fs.Width-4, 10)
	room := fs.Height - textHeight(title, w) - min(options, minListRows) - 1
	candidates := []string{
		joinLines(joinLines(hint, block), last),
		joinLines(hint, block),
		joinLines(block, last),
		block,
	}
	for _, c := range candidates {
		if textHeight(c, w) <= room {
			return c
		}
	}
	if len(refs) > 1 {
		return strings.Join(refs[1:], "\n") // the referrals, without their heading
	}
	return block
}

// listValue is a multi answer as chosen: nil for nothing, a lone special
// value as itself.
func listValue(list []string) any {
	switch {
	case len(list) == 0:
		return nil
	case len(list) == 1 && (list[0] == optDontKnow || list[0] == optDeclined):
		return list[0]
	}
	return list
}

func joinLines(a, b string) string {
	if a == "" {
		return b
	}
	return a + "\n" + b
}

func (m *tui) reviewField() huh.Field {
	r := m.r
	items, err := r.reviewItems()
	if err != nil {
		m.err = err
	}
	opts := []huh.Option[string]{huh.NewOption(r.reviewWord("tui.complete"), optComplete)}
	for _, q := range items {
		v, _ := r.answer(q)
		opts = append(opts, huh.NewOption(r.t("tui.change", "label", r.f.T(q.Label, r.lang), "value", valueText(r.f, q, v, r.lang)), q.ID))
	}
	choice := optComplete
	m.read = func() any { return choice }
	title, desc := r.t("tui.review_title"), r.reviewWord("tui.review_desc")
	m.listHeight = m.listSize(title, desc, len(opts))
	return huh.NewSelect[string]().Title(title).Description(desc).
		Options(opts...).Value(&choice)
}

func (m *tui) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.fitList()
		_, cmd := m.form.Update(m.formSize())
		return m, cmd
	case tea.BackgroundColorMsg:
		m.bg = msg
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, keyPause):
			m.quit = true
			return m, tea.Quit
		case key.Matches(msg, keyBack):
			if err := m.r.back(); err != nil {
				return m.fail(err)
			}
			return m, m.load()
		}
		if k := m.r.cur.kind; (k == kindIntro || k == kindNote) && msg.String() != "enter" {
			return m, nil // only Enter leaves a note, so a stray key cannot skip it
		}
	}
	_, cmd := m.form.Update(msg)
	if m.form.State != huh.StateCompleted {
		return m, cmd
	}
	return m.submitted()
}

// submitted acts on a completed form: saves the answer, or leaves a note,
// or completes the interview.
func (m *tui) submitted() (tea.Model, tea.Cmd) {
	r := m.r
	switch r.cur.kind {
	case kindIntro, kindNote:
		r.proceed()
	case kindQuestion:
		q := r.cur.q
		v, err := r.check(q, m.read())
		if err == nil {
			err = r.submit(q, v) // or asks to confirm first
		}
		if err != nil {
			return m.fail(err)
		}
	case kindReview:
		choice, _ := m.read().(string)
		if choice == optComplete {
			iv, err := r.complete()
			if err != nil {
				return m.fail(err)
			}
			if iv != nil {
				m.done = iv
				return m, tea.Quit
			}
		} else if q := r.f.Question(choice); q != nil {
			r.change(q)
		}
	case kindConfirm:
		choice, _ := m.read().(string)
		if err := r.confirm(choice == optChange); err != nil {
			return m.fail(err)
		}
	}
	return m, m.load()
}

func (m *tui) fail(err error) (tea.Model, tea.Cmd) {
	m.err = err
	return m, tea.Quit
}

func (m *tui) View() tea.View {
	if m.quit || m.done != nil || m.err != nil {
		return tea.NewView("")
	}
	r := m.r
	var b strings.Builder
	switch r.cur.kind {
	case kindReview:
		b.WriteString(m.st.section.Render(r.f.T(r.f.Title, r.lang)))
	default:
		b.WriteString(m.st.section.Render(r.section(r.cur.q)))
	}
	b.WriteString("\n")
	if r.cur.kind == kindQuestion && r.cur.q.Observation {
		// On the line between the section and the question: the form
		// keeps its height.
		b.WriteString(m.st.observation.Render(r.observation(r.cur.q)))
	}
	b.WriteString("\n")
	b.WriteString(m.form.View())
	b.WriteString("\n")
	if n := r.droppedNote(); n != "" && (r.cur.kind == kindQuestion || r.cur.kind == kindReview) {
		b.WriteString(m.st.status.Render(n))
	}
	b.WriteString("\n")
	b.WriteString(m.st.help.Render(m.helpLine()))
	v := tea.NewView(b.String())
	v.AltScreen = true
	return v
}

func (m *tui) helpLine() string {
	r := m.r
	k := func(key, word string) string { return key + " " + r.t("tui.help."+word) }
	var keys []string
	switch r.cur.kind {
	case kindIntro, kindNote:
		keys = []string{k("enter", "continue")}
	case kindReview, kindConfirm:
		keys = []string{k("↑/↓", "choose"), k("enter", "confirm")}
	default:
		switch r.cur.q.Type {
		case questionnaire.TypeYesNo, questionnaire.TypeChoice:
			keys = []string{k("↑/↓", "choose"), k("enter", "confirm")}
		case questionnaire.TypeMulti:
			keys = []string{k("↑/↓", "move"), k("space", "toggle"), k("enter", "confirm")}
		default:
			keys = []string{k("enter", "confirm")}
		}
	}
	keys = append(keys, k("esc", "back"), k("ctrl+c", "pause"))
	return strings.Join(keys, " • ")
}
