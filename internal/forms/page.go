package forms

import (
	"io"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
)

// page is the huh field of every question, intro and note screen of the
// terminal form (the review and the confirmation of a change keep huh's
// Select). huh's Select puts its cursor on the first option, so Enter by
// habit answers "Yes"; its fields wrap text twice at narrow widths, and
// its lists scroll without saying so. A page:
//   - shows no cursor on a question not yet answered and takes Enter only
//     once the interviewer has moved to an option; a question already
//     answered opens with its answer under the cursor;
//   - wraps its text once, at spaces, to its width;
//   - keeps the title in view and scrolls the rest (hint and options, or
//     an intro's text) in the height it is given, with a line saying there
//     is more above or below, and always keeps the cursor in view;
//   - always draws exactly its height, so the form never grows under the
//     screen's footer.
type page struct {
	title, text string
	opts        []pageOption     // nil on an intro, a note or a typed answer
	input       *textinput.Model // a typed answer (a number or text); nil otherwise
	multi       bool
	cursor      int // the option under the cursor; -1 before the first move
	// keep: the question has an answer no option shows (left unanswered
	// before); Enter without a move keeps it (kept).
	keep     bool
	kept     any
	validate func(any) error
	words    pageWords
	msg      string // why the last Enter did nothing; cleared by the next key

	width, height int
	top           int // the first line of the body in view
	theme         huh.Theme
	dark          bool

	// drawn caches the page's lines until something on it changes
	// (forget): huh asks for a field's view several times per key.
	drawn *pageLines
}

type pageLines struct {
	title, body, msg []string
	at               []int
	view             string // "" until drawn
	viewTop          int    // the top view was drawn from
}

// forget drops the cached lines after a change.
func (p *page) forget() { p.drawn = nil }

type pageOption struct {
	label, value string
	checked      bool
}

// pageWords are the page's words in the interview's language.
type pageWords struct {
	button      string // on an intro or note: "Continue"
	chooseFirst string // Enter before any option was chosen
	above       string // there is more above
	below       string // there is more below
}

var pageKeys = struct {
	up, down, pgup, pgdown, home, end, toggle, enter key.Binding
}{
	up:     key.NewBinding(key.WithKeys("up", "k", "ctrl+p")),
	down:   key.NewBinding(key.WithKeys("down", "j", "ctrl+n")),
	pgup:   key.NewBinding(key.WithKeys("pgup", "ctrl+u")),
	pgdown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d")),
	home:   key.NewBinding(key.WithKeys("home", "g")),
	end:    key.NewBinding(key.WithKeys("end", "G")),
	toggle: key.NewBinding(key.WithKeys("space", "x")),
	enter:  key.NewBinding(key.WithKeys("enter")),
}

// newTextPage is an intro or a note: Enter continues.
func newTextPage(title, text string, w pageWords) *page {
	return &page{title: strings.TrimSpace(title), text: strings.TrimSpace(text), cursor: -1, words: w}
}

// newListPage is a choice (multi: any number of options). value is the
// current answer: a string, a list of strings, or nil; has says whether
// there is one.
func newListPage(title, hint string, opts []pageOption, multi bool, value any, has bool, validate func(any) error, w pageWords) *page {
	p := &page{title: strings.TrimSpace(title), text: strings.TrimSpace(hint), opts: opts, multi: multi, cursor: -1, validate: validate, words: w}
	for i := range p.opts {
		switch v := value.(type) {
		case string:
			p.opts[i].checked = multi && p.opts[i].value == v
			if !multi && p.opts[i].value == v {
				p.cursor = i
			}
		case []string:
			p.opts[i].checked = multi && slices.Contains(v, p.opts[i].value)
		}
		if p.cursor < 0 && p.opts[i].checked {
			p.cursor = i
		}
	}
	if has && p.cursor < 0 {
		if multi {
			p.cursor = 0 // answered with nothing chosen: Enter keeps that
		} else {
			p.keep, p.kept = true, value
		}
	}
	return p
}

// newInputPage is a question answered by typing; text is what is typed
// so far.
func newInputPage(title, hint, text string, validate func(any) error, w pageWords) *page {
	ti := textinput.New()
	ti.Prompt = "> "
	ti.SetValue(text)
	return &page{title: strings.TrimSpace(title), text: strings.TrimSpace(hint), input: &ti, cursor: -1, validate: validate, words: w}
}

// value is the answer on the page: for a choice the option's value (nil
// when none is chosen), for a multi the chosen values as listValue gives
// them.
func (p *page) value() any {
	if p.input != nil {
		return p.input.Value()
	}
	if p.multi {
		var list []string
		for _, o := range p.opts {
			if o.checked {
				list = append(list, o.value)
			}
		}
		return listValue(list)
	}
	if p.cursor >= 0 {
		return p.opts[p.cursor].value
	}
	if p.keep {
		return p.kept
	}
	return nil
}

// untouched says whether Enter would answer with nothing chosen.
func (p *page) untouched() bool { return p.opts != nil && p.cursor < 0 && !p.keep }

func (p *page) Init() tea.Cmd { return nil }
func (p *page) Focus() tea.Cmd {
	if p.input != nil {
		p.forget()
		return p.input.Focus()
	}
	return nil
}
func (p *page) Blur() tea.Cmd {
	if p.input != nil {
		p.forget()
		p.input.Blur()
	}
	return nil
}
func (p *page) Error() error   { return nil } // shown on the page itself
func (p *page) Skip() bool     { return false }
func (p *page) Zoom() bool     { return false }
func (p *page) GetKey() string { return "" }
func (p *page) GetValue() any  { return p.value() }

func (p *page) KeyBinds() []key.Binding { return nil } // tui draws the keys
func (p *page) Run() error              { return huh.Run(p) }
func (p *page) RunAccessible(io.Writer, io.Reader) error {
	return nil // never used: the line mode is our own
}

func (p *page) WithTheme(t huh.Theme) huh.Field {
	if p.theme == nil {
		p.theme = t
	}
	return p
}
func (p *page) WithKeyMap(*huh.KeyMap) huh.Field         { return p }
func (p *page) WithPosition(huh.FieldPosition) huh.Field { return p }
func (p *page) WithWidth(w int) huh.Field {
	p.width = w
	p.forget()
	p.scroll()
	return p
}
func (p *page) WithHeight(h int) huh.Field {
	p.height = h
	p.forget()
	p.scroll()
	return p
}

func (p *page) Update(msg tea.Msg) (huh.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.BackgroundColorMsg:
		p.dark = msg.IsDark()
		p.forget()
	case tea.KeyPressMsg:
		p.msg = ""
		var cmd tea.Cmd
		switch {
		case p.input != nil:
			cmd = p.inputKey(msg)
		case p.opts == nil:
			cmd = p.textKey(msg)
		default:
			cmd = p.listKey(msg)
		}
		// Whatever the key changed is drawn anew, then kept in view.
		p.forget()
		p.scroll()
		return p, cmd
	}
	if p.input != nil { // the cursor's blink, a paste
		p.forget()
		var cmd tea.Cmd
		*p.input, cmd = p.input.Update(msg)
		return p, cmd
	}
	return p, nil
}

// inputKey: Enter submits what is typed if it is valid; other keys edit.
func (p *page) inputKey(msg tea.KeyPressMsg) tea.Cmd {
	if key.Matches(msg, pageKeys.enter) {
		if p.validate != nil {
			if err := p.validate(p.value()); err != nil {
				p.msg = err.Error()
				return nil
			}
		}
		return huh.NextField
	}
	var cmd tea.Cmd
	*p.input, cmd = p.input.Update(msg)
	return cmd
}

// textKey: the arrows scroll an intro or note, Enter leaves it.
func (p *page) textKey(msg tea.KeyPressMsg) tea.Cmd {
	switch step := max(p.rows()-1, 1); {
	case key.Matches(msg, pageKeys.enter):
		return huh.NextField
	case key.Matches(msg, pageKeys.up):
		p.top--
	case key.Matches(msg, pageKeys.down):
		p.top++
	case key.Matches(msg, pageKeys.pgup):
		p.top -= step
	case key.Matches(msg, pageKeys.pgdown):
		p.top += step
	case key.Matches(msg, pageKeys.home):
		p.top = 0
	case key.Matches(msg, pageKeys.end):
		lines, _ := p.body()
		p.top = len(lines)
	}
	return nil
}

func (p *page) listKey(msg tea.KeyPressMsg) tea.Cmd {
	last := len(p.opts) - 1
	first := p.cursor < 0
	switch step := max(p.rows()-2, 1); {
	case key.Matches(msg, pageKeys.enter):
		if p.untouched() {
			p.msg = p.words.chooseFirst
			return nil
		}
		if p.validate != nil {
			if err := p.validate(p.value()); err != nil {
				p.msg = err.Error()
				return nil
			}
		}
		return huh.NextField
	// The first move shows the cursor: down on the first option, up on
	// the last; it chooses nothing.
	case key.Matches(msg, pageKeys.up):
		p.cursor = max(p.cursor-1, 0)
		if first {
			p.cursor = last
		}
	case key.Matches(msg, pageKeys.down):
		p.cursor = min(p.cursor+1, last)
	case key.Matches(msg, pageKeys.pgup):
		p.cursor = max(p.cursor-step, 0)
	case key.Matches(msg, pageKeys.pgdown):
		p.cursor = min(max(p.cursor, 0)+step, last)
	case key.Matches(msg, pageKeys.home):
		p.cursor = 0
	case key.Matches(msg, pageKeys.end):
		p.cursor = last
	case key.Matches(msg, pageKeys.toggle) && p.multi:
		if first {
			p.cursor = 0 // nothing was under the cursor to toggle
		} else {
			p.opts[p.cursor].checked = !p.opts[p.cursor].checked
		}
	default:
		return nil
	}
	p.keep = false
	if p.cursor == 0 {
		p.top = 0 // back at the first option: show the hint again
	}
	return nil
}

func (p *page) styles() *huh.FieldStyles {
	t := p.theme
	if t == nil {
		t = huh.ThemeFunc(huh.ThemeCharm)
	}
	return &t.Theme(p.dark).Focused
}

// inner is the width of the page's text: the field's border and padding
// take the rest.
func (p *page) inner() int {
	return max(p.width-p.styles().Base.GetHorizontalFrameSize(), 10)
}

func (p *page) drawTitle() []string {
	st := p.styles()
	var out []string
	for _, l := range strings.Split(wrapText(p.title, p.inner()), "\n") {
		out = append(out, st.Title.Render(l))
	}
	if p.opts == nil && p.input == nil {
		out = append(out, "") // an intro's title stands apart, as in huh's notes
	}
	return out
}

func (p *page) drawMsg() []string {
	if p.msg == "" {
		return nil
	}
	// Marked, as huh marks its errors, so it shows without colour too.
	st := p.styles().ErrorMessage.UnsetString()
	var out []string
	for i, l := range strings.Split(wrapText(p.msg, p.inner()-2), "\n") {
		mark := "  "
		if i == 0 {
			mark = "* "
		}
		out = append(out, st.Render(mark+l))
	}
	return out
}

// lines draws the page's parts once per change.
func (p *page) lines() *pageLines {
	if p.drawn == nil {
		d := &pageLines{title: p.drawTitle(), msg: p.drawMsg()}
		d.body, d.at = p.drawBody(p.height - len(d.title) - len(d.msg))
		p.drawn = d
	}
	return p.drawn
}

// body is what scrolls: the text, then the options (or an intro's
// button, or the line typed on). at[i] is the first line of option i.
func (p *page) body() (lines []string, at []int) {
	d := p.lines()
	return d.body, d.at
}

// room is the height the body has (if the page has a height).
func (p *page) drawBody(room int) (lines []string, at []int) {
	st := p.styles()
	w := p.inner()
	if p.text != "" {
		for _, l := range strings.Split(wrapText(p.text, w), "\n") {
			lines = append(lines, st.Description.Render(l))
		}
	}
	switch {
	case p.input != nil:
		p.styleInput()
		lines = append(lines, p.input.View())
		return lines, []int{len(lines) - 1}
	case p.opts == nil:
		if p.words.button != "" {
			lines = append(lines, "", st.Next.Render(p.words.button))
		}
		return lines, nil
	}
	var opts []string
	cursor := st.SelectSelector.String()
	if p.multi {
		cursor = st.MultiSelectSelector.String()
	}
	blank := strings.Repeat(" ", lipgloss.Width(cursor))
	for i, o := range p.opts {
		prefix := blank
		if i == p.cursor {
			prefix = cursor
		}
		label := st.UnselectedOption
		if (!p.multi && i == p.cursor) || o.checked {
			label = st.SelectedOption
		}
		if p.multi {
			box := st.UnselectedPrefix
			if o.checked {
				box = st.SelectedPrefix
			}
			prefix += box.String()
		}
		// A long label wraps under itself, past the cursor and box.
		indent := strings.Repeat(" ", lipgloss.Width(prefix))
		at = append(at, len(opts))
		for j, l := range strings.Split(wrapText(o.label, max(w-lipgloss.Width(prefix), 5)), "\n") {
			if j > 0 {
				prefix = indent
			}
			opts = append(opts, prefix+label.Render(l))
		}
	}
	// A blank line sets the options apart from the hint when the room
	// allows.
	if len(lines) > 0 && (p.height <= 0 || len(lines)+1+len(opts) <= room) {
		lines = append(lines, "")
	}
	for i := range at {
		at[i] += len(lines)
	}
	return append(lines, opts...), at
}

// styleInput sizes and colours the text input as huh's Input does.
func (p *page) styleInput() {
	st := p.styles()
	is := p.input.Styles()
	is.Cursor.Color = st.TextInput.Cursor.GetForeground()
	is.Focused.Prompt = st.TextInput.Prompt
	is.Focused.Text = st.TextInput.Text
	is.Focused.Placeholder = st.TextInput.Placeholder
	p.input.SetStyles(is)
	p.input.SetWidth(max(p.inner()-lipgloss.Width(p.input.Prompt)-1, 1))
}

// rows is how many lines the body has on screen, more-lines included.
func (p *page) rows() int {
	if p.height <= 0 {
		return 1 << 20
	}
	d := p.lines()
	return max(p.height-len(d.title)-len(d.msg), 1)
}

// window returns the body lines shown from top, and whether a line says
// there is more above or below.
func window(n, rows, top int) (from, to int, above, below bool) {
	if n <= rows {
		return 0, n, false, false
	}
	above = top > 0
	avail := rows
	if above {
		avail--
	}
	if top+avail < n {
		below = true
		avail--
	}
	avail = max(avail, 1)
	return top, min(top+avail, n), above, below
}

// scroll keeps top in range and the cursor's option in view.
func (p *page) scroll() {
	if p.width <= 0 {
		return
	}
	lines, at := p.body()
	n, rows := len(lines), p.rows()
	if n <= rows {
		p.top = 0
		return
	}
	// The last top that still fills the window.
	maxTop := n - (rows - 1)
	for maxTop > 0 {
		if _, to, _, _ := window(n, rows, maxTop-1); to < n {
			break
		}
		maxTop--
	}
	p.top = min(max(p.top, 0), maxTop)
	cur := p.cursor
	if p.input != nil {
		cur = 0 // the line typed on
	}
	if cur < 0 || cur >= len(at) {
		return
	}
	first := at[cur]
	end := n
	if cur+1 < len(at) {
		end = at[cur+1]
	}
	if first < p.top {
		p.top = first
	}
	for p.top < first {
		if _, to, _, _ := window(n, rows, p.top); end <= to {
			break
		}
		p.top++
	}
}

func (p *page) View() string {
	d := p.lines()
	if d.view != "" && d.viewTop == p.top {
		return d.view
	}
	out := slices.Clone(d.title)
	from, to, above, below := window(len(d.body), p.rows(), p.top)
	more := lipgloss.NewStyle().Faint(true)
	if above {
		out = append(out, more.Render(p.words.above))
	}
	out = append(out, d.body[from:to]...)
	if below {
		out = append(out, more.Render(p.words.below))
	}
	out = append(out, d.msg...)
	s := p.styles().Base.Width(p.width).Render(strings.Join(out, "\n"))
	// Always the full height, so the form keeps its size when a message
	// comes and goes.
	if pad := p.height - lipgloss.Height(s); pad > 0 {
		s += strings.Repeat("\n", pad)
	}
	d.view, d.viewTop = s, p.top
	return s
}
