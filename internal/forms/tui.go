package forms

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"

	"fieldscreen/internal/record"
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

	// The Enter guard (see enterGuard): when the screen on view appeared,
	// the last Enter it ignored, and whether another key was pressed since.
	clock     func() time.Time
	shownAt   time.Time
	lastEnter time.Time
	moved     bool
	notice    string // a word on the last key, under the form; cleared by the next key

	err  error
	quit bool
	done *record.Interview
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
	m := &tui{r: r, keymap: km, theme: cachedTheme(huh.ThemeCharm), width: 80, height: 24, clock: time.Now}
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

func runTUI(ctx context.Context, r *runner) (*record.Interview, error) {
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
	m.shownAt, m.lastEnter, m.moved, m.notice = m.clock(), time.Time{}, false, ""
	switch r.cur.kind {
	case kindIntro:
		q := r.cur.q
		field = newTextPage(r.f.T(q.Section.Title, r.lang), r.f.T(q.Section.Intro, r.lang), m.pageWords())
	case kindNote:
		q := r.cur.q
		field = newTextPage(r.f.T(q.Label, r.lang), r.f.T(q.Hint, r.lang), m.pageWords())
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

func (m *tui) pageWords() pageWords {
	r := m.r
	return pageWords{
		button:      r.t("tui.continue"),
		chooseFirst: r.t("tui.choose_first"),
		above:       r.t("tui.more_above"),
		below:       r.t("tui.more_below"),
	}
}

// fitList gives the field its height: a page (every screen but the
// confirmation of a change) the whole form, which it fills and scrolls
// in; a huh list the height of its title, description and options, or
// of the form if that is less (the list then scrolls).
func (m *tui) fitList() {
	switch {
	case m.listHeight != nil:
		m.field.WithHeight(m.listHeight())
	case m.field != nil:
		if _, ok := m.field.(*page); ok {
			m.field.WithHeight(m.formSize().Height)
		}
	}
}

func (m *tui) listSize(title, desc string, options int) func() int {
	return func() int {
		fs := m.formSize()
		w := max(fs.Width-2, 10) // the border and padding of a field
		h := textHeight(title, w) + textHeight(desc, w) + options + 1
		return min(h, fs.Height)
	}
}

func textHeight(s string, width int) int {
	if s == "" {
		return 0
	}
	return strings.Count(wrapText(s, width), "\n") + 1
}

// The smallest terminal the form draws in: at 50×16 the longest question
// title of the built-in flow (six lines, in French) still leaves six lines
// for its hint and options. In a smaller one the form asks for a bigger
// window instead.
const minWidth, minHeight = 50, 16

// maxFormWidth keeps lines short enough to read on a wide terminal.
const maxFormWidth = 100

func (m *tui) tooSmall() bool { return m.width < minWidth || m.height < minHeight }

// frame is what the screen shows around the form: the section line(s),
// the observation line, the status line(s) and the keys.
type frame struct {
	header, status, help []string
}

func (m *tui) frame() frame {
	r := m.r
	var f frame
	title := r.f.T(r.f.Title, r.lang)
	if r.cur.kind != kindReview {
		title = r.section(r.cur.q)
	}
	f.header = strings.Split(wrapText(title, m.width), "\n")
	status := m.notice
	if n := r.changeNote(); status == "" && n != "" && (r.cur.kind == kindQuestion || r.cur.kind == kindReview) {
		status = n
	}
	if status != "" {
		f.status = strings.Split(wrapText(status, m.width), "\n")
	}
	f.help = m.helpLines()
	return f
}

func (m *tui) formSize() tea.WindowSizeMsg {
	f := m.frame()
	// The observation line (or a blank one) and at least one status line.
	rows := m.height - len(f.header) - 1 - max(len(f.status), 1) - len(f.help)
	return tea.WindowSizeMsg{Width: min(m.width, maxFormWidth), Height: max(rows, 3)}
}

// resize fits the field and the form to the screen after the screen or
// what is around the form changed.
func (m *tui) resize() tea.Cmd {
	m.fitList()
	_, cmd := m.form.Update(m.formSize())
	return cmd
}

func (m *tui) questionField(q *questionnaire.Question) huh.Field {
	r := m.r
	label := r.f.T(q.Label, r.lang)
	hint := r.f.T(q.Hint, r.lang)
	cur, has := r.answer(q)
	opts := []pageOption{}
	for _, o := range options(r.f, q, r.lang) {
		opts = append(opts, pageOption{label: o.label, value: o.value})
	}
	if !q.Required {
		opts = append(opts, pageOption{label: r.t("dont_know"), value: optDontKnow}, pageOption{label: r.t("declined"), value: optDeclined})
	}
	refs, err := r.referralLines(q)
	if err != nil {
		m.err = err
	}
	check := func(v any) error { _, err := r.check(q, v); return err }
	var p *page
	kf := formOf(q)
	switch kf.widget {
	case pickOne:
		desc := m.listDescription(label, hint, "", refs, len(opts))
		p = newListPage(label, desc, opts, false, cur, has, check, m.pageWords())
	case pickMany:
		none := ""
		if !q.Required {
			none = r.t("tui.multi_none")
		}
		desc := m.listDescription(label, hint, none, refs, len(opts))
		p = newListPage(label, desc, opts, true, cur, has, func(v any) error {
			if list, ok := v.([]string); ok && len(list) > 1 && (slices.Contains(list, optDontKnow) || slices.Contains(list, optDeclined)) {
				return errors.New(r.t("tui.err.special_alone"))
			}
			return check(v)
		}, m.pageWords())
	default: // typedIn
		v := ""
		if has {
			v = typedText(cur)
		}
		how := ""
		if kf.tui != nil {
			how = kf.tui(r, q)
		}
		if !q.Required {
			how += " " + r.t("tui.type_special")
		}
		desc := joinLines(hint, how)
		if len(refs) > 0 {
			desc = joinLines(strings.Join(refs, "\n"), desc)
		}
		p = newInputPage(label, desc, v, func(v any) error { return check(typedValue(q, v.(string), false)) }, m.pageWords())
		m.read = func() any { return typedValue(q, p.value().(string), false) }
		return p
	}
	m.read = p.value
	return p
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
	w := max(fs.Width-2, 10) // inside the field's border and padding
	// The options shown, and the line saying there are more.
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
	opts := []pageOption{{label: r.reviewWord("tui.complete"), value: optComplete}}
	for _, q := range items {
		v, _ := r.answer(q)
		opts = append(opts, pageOption{label: r.t("tui.change", "label", r.f.T(q.Label, r.lang), "value", valueText(r.f, q, v, r.lang)), value: q.ID})
	}
	// A page, for its "more above / below" lines; the cursor starts on
	// completing, as it always has. Completing erases the answers a
	// change set aside (the change that did so was confirmed): the screen
	// says so before.
	desc := r.reviewWord("tui.review_desc")
	if note := r.setAsideNote(); note != "" {
		desc += "\n\n" + note
	}
	p := newListPage(r.t("tui.review_title"), desc, opts, false, optComplete, true, nil, m.pageWords())
	m.read = p.value
	return p
}

// enterGuard is how long a new screen ignores Enter, so that a key held
// down or pressed twice on one screen does not act on the next (answer a
// question nobody read, skip an intro). Enter that comes within the guard
// of the screen appearing, or of another ignored Enter, is ignored: a
// key held down repeats every 30–90 ms, so it never gets through while it
// is held. 700 ms is above the longest usual delay before a held key
// starts repeating (X.Org's default 660 ms; GNOME and Windows 500 ms;
// the Linux console 250 ms) and above Windows' double-click time (500 ms),
// the common measure of two presses meant as one; the key-to-frame
// latency of a new screen (about 15 ms, HUH_NOTES §9) adds little. Any
// other key (an arrow, typing) shows the screen was read, and lifts the
// guard; on a list, Enter needs a move to an option anyway.
const enterGuard = 700 * time.Millisecond

// guarded says whether an Enter pressed now is ignored, and re-arms the
// guard if so.
func (m *tui) guarded() bool {
	if m.moved {
		return false
	}
	now := m.clock()
	since := m.shownAt
	if m.lastEnter.After(since) {
		since = m.lastEnter
	}
	if now.Sub(since) < enterGuard {
		m.lastEnter = now
		return true
	}
	return false
}

func (m *tui) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		small := m.tooSmall()
		m.width, m.height = msg.Width, msg.Height
		if small && !m.tooSmall() {
			// The screen appears only now.
			m.shownAt, m.lastEnter, m.moved = m.clock(), time.Time{}, false
		}
		return m, m.resize()
	case tea.BackgroundColorMsg:
		m.bg = msg
	case tea.KeyPressMsg:
		hadNotice := m.notice != ""
		m.notice = ""
		switch {
		case key.Matches(msg, keyPause):
			m.quit = true
			return m, tea.Quit
		case m.tooSmall():
			return m, nil // nothing on screen to act on
		case key.Matches(msg, keyBack):
			if err := m.r.back(); err != nil {
				return m.fail(err)
			}
			return m, m.load()
		case msg.String() == "enter":
			if m.guarded() {
				m.notice = m.r.t("tui.enter_guard")
				return m, m.resize()
			}
		default:
			m.moved = true
		}
		if hadNotice {
			m.resize()
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
	if !m.moved && m.clock().Sub(m.shownAt) < enterGuard {
		// Completed within the guard with no key read on this screen: the
		// form's own "next" message from an Enter meant for the screen
		// before (two Enters in one read reach the old form before the new
		// one appears). It acts on nothing; the screen is shown anew.
		cmd := m.load()
		m.notice = r.t("tui.enter_guard")
		return m, tea.Batch(cmd, m.resize())
	}
	switch r.cur.kind {
	case kindIntro, kindNote:
		r.proceed()
	case kindQuestion:
		q := r.cur.q
		v, err := r.check(q, m.read())
		if err != nil {
			// Not an answer this question takes: nothing is saved, the
			// question stays, and the screen says why. Never the end of
			// the interview.
			cmd := m.load()
			m.notice = err.Error()
			return m, tea.Batch(cmd, m.resize())
		}
		if err := r.submit(q, v); err != nil { // or asks to confirm first
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
	var v tea.View
	if m.tooSmall() {
		v = tea.NewView(m.smallView())
	} else {
		v = tea.NewView(m.screen())
	}
	v.AltScreen = true
	return v
}

// screen is the section line(s), the observation line, the form, the
// status line and the keys, in exactly the terminal's height: the keys
// (how to pause) stay on its last line.
func (m *tui) screen() string {
	r := m.r
	f := m.frame()
	lines := make([]string, 0, m.height)
	for _, l := range f.header {
		lines = append(lines, m.st.section.Render(l))
	}
	obs := ""
	if r.cur.kind == kindQuestion && r.cur.q.Observation {
		obs = m.st.observation.Render(ansi.Truncate(r.observation(r.cur.q), m.width, "…"))
	}
	lines = append(lines, obs)
	form := strings.Split(m.form.View(), "\n")
	rows := m.formSize().Height
	if len(form) > rows {
		form = form[:rows] // never more than its room: the keys stay on screen
	}
	for len(form) < rows {
		form = append(form, "")
	}
	lines = append(lines, form...)
	if len(f.status) == 0 {
		lines = append(lines, "")
	}
	for _, l := range f.status {
		lines = append(lines, m.st.status.Render(l))
	}
	for _, l := range f.help {
		lines = append(lines, m.st.help.Render(l))
	}
	return strings.Join(lines, "\n")
}

// smallView asks for a bigger window, in what room there is.
func (m *tui) smallView() string {
	r := m.r
	text := r.t("tui.too_small", "w", strconv.Itoa(minWidth), "h", strconv.Itoa(minHeight),
		"cols", strconv.Itoa(m.width), "rows", strconv.Itoa(m.height))
	lines := strings.Split(wrapText(text, max(m.width, 1)), "\n")
	lines = append(lines, "", m.st.help.Render(m.keyHelp("ctrl+c", "pause")))
	if len(lines) > m.height && m.height > 0 {
		lines = append(lines[:m.height-1], lines[len(lines)-1]) // the pause key stays
	}
	return strings.Join(lines, "\n")
}

func (m *tui) keyHelp(key, word string) string { return key + " " + m.r.t("tui.help."+word) }

const helpSep = " • "

// helpLines are the keys of the screen on view, wrapped between keys to
// the terminal's width; how to pause always comes last.
func (m *tui) helpLines() []string {
	var lines []string
	line := ""
	for _, key := range m.helpKeys() {
		switch {
		case line == "":
			line = key
		case ansi.StringWidth(line+helpSep+key) <= m.width:
			line += helpSep + key
		default:
			lines = append(lines, line)
			line = key
		}
	}
	return append(lines, line)
}

func (m *tui) helpKeys() []string {
	r := m.r
	k := m.keyHelp
	enter, space := r.t("tui.key.enter"), r.t("tui.key.space") // the keys' names, in the interview's language
	var keys []string
	switch r.cur.kind {
	case kindIntro, kindNote:
		keys = []string{k(enter, "continue")}
	case kindReview, kindConfirm:
		keys = []string{k("↑/↓", "choose"), k(enter, "confirm")}
	default:
		switch formOf(r.cur.q).widget {
		case pickOne:
			keys = []string{k("↑/↓", "choose"), k(enter, "confirm")}
		case pickMany:
			keys = []string{k("↑/↓", "move"), k(space, "toggle"), k(enter, "confirm")}
		default:
			keys = []string{k(enter, "confirm")}
		}
	}
	return append(keys, k("esc", "back"), k("ctrl+c", "pause"))
}
