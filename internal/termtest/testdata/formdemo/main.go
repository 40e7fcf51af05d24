// Command formdemo is a tiny huh v2 program driven by the termtest harness
// tests. It runs a fixed questionnaire one question per form run (like our
// interview engine), with a back key, and prints the answers to stdout.
//
//	go build -o /tmp/formdemo ./internal/termtest/testdata/formdemo
//	/tmp/formdemo -alt=false -width 60
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
)

// Outcome of one question.
type Outcome int

const (
	Quit     Outcome = iota // Ctrl-C, SIGINT, SIGTERM: zero value on purpose
	Answered                // Enter on a valid answer
	Back                    // back key
)

func (o Outcome) String() string {
	return [...]string{"quit", "answered", "back"}[o]
}

// questionModel wraps one *huh.Form and adds a back key. huh has no "go back
// out of the form" result, so the wrapper intercepts the key before the form
// sees it.
type questionModel struct {
	form    *huh.Form
	backKey key.Binding
	alt     bool
	outcome Outcome
	done    bool
}

// Init also asks the terminal for its background colour: huh forms never do
// it themselves, so without it they always use the light-background palette.
func (m *questionModel) Init() tea.Cmd {
	return tea.Batch(m.form.Init(), tea.RequestBackgroundColor)
}

func (m *questionModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, m.backKey) {
		m.outcome, m.done = Back, true
		return m, tea.Quit
	}
	fm, cmd := m.form.Update(msg)
	m.form = fm.(*huh.Form)
	switch m.form.State {
	case huh.StateCompleted:
		m.outcome, m.done = Answered, true
		return m, tea.Quit
	case huh.StateAborted: // huh's Quit binding (ctrl+c)
		m.outcome, m.done = Quit, true
		return m, tea.Quit
	}
	return m, cmd
}

func (m *questionModel) View() tea.View {
	if m.done {
		return tea.NewView("") // erase the frame: nothing lingers after the question
	}
	v := tea.NewView(m.form.View())
	v.AltScreen = m.alt
	return v
}

type config struct {
	alt   bool
	width int
	theme string
}

// configure applies our keymap/theme/width to a fresh form.
func configure(cfg config, form *huh.Form) *huh.Form {
	km := huh.NewDefaultKeyMap()
	km.Select.Filter.SetEnabled(false) // "/" would start filtering
	km.MultiSelect.Filter.SetEnabled(false)
	form.WithKeyMap(km).WithShowHelp(true)
	switch cfg.theme {
	case "base":
		form.WithTheme(huh.ThemeFunc(huh.ThemeBase))
	case "base16":
		form.WithTheme(huh.ThemeFunc(huh.ThemeBase16))
	default:
		form.WithTheme(huh.ThemeFunc(huh.ThemeCharm))
	}
	if cfg.width > 0 {
		form.WithWidth(cfg.width)
	}
	return form
}

var backKey = key.NewBinding(key.WithKeys("shift+tab", "ctrl+b", "esc"), key.WithHelp("shift+tab", "back"))

// ask runs one form and reports how it ended.
func ask(cfg config, form *huh.Form) (Outcome, error) {
	m := &questionModel{form: configure(cfg, form), backKey: backKey, alt: cfg.alt}
	_, err := tea.NewProgram(m, tea.WithOutput(os.Stdout), debugFilter()).Run()
	if errors.Is(err, tea.ErrInterrupted) { // SIGINT from outside
		return Quit, nil
	}
	return m.outcome, err
}

type question struct {
	id string
	// build returns a fresh form pre-filled with prev, and a func that reads
	// the answer after the form completed.
	build func(prev string) (*huh.Form, func() string)
}

func header(k, n int) string { return fmt.Sprintf("Household — Section %d of %d", k, n) }

func questions() []question {
	const n = 5
	return []question{
		{"intro", func(string) (*huh.Form, func() string) {
			return huh.NewForm(huh.NewGroup(
				huh.NewNote().Title("Welcome").Description("Read the consent script aloud.").Next(true).NextLabel("Start"),
			).Title(header(1, n))), func() string { return "ok" }
		}},
		{"region", func(prev string) (*huh.Form, func() string) {
			v := prev
			opts := make([]huh.Option[string], 0, 10)
			for i := 1; i <= 10; i++ {
				opts = append(opts, huh.NewOption(fmt.Sprintf("Region %02d", i), fmt.Sprintf("r%02d", i)))
			}
			return huh.NewForm(huh.NewGroup(
				huh.NewSelect[string]().Title("Which region do you live in?").Options(opts...).Value(&v),
			).Title(header(2, n)).Description("Hint: show card A.")), func() string { return v }
		}},
		{"smoker", func(prev string) (*huh.Form, func() string) {
			v := prev
			return huh.NewForm(huh.NewGroup(
				huh.NewSelect[string]().Title("Do you smoke?").Options(
					huh.NewOption("Yes", "yes"), huh.NewOption("No", "no"),
					huh.NewOption("Don't know", "dk"), huh.NewOption("Declined to answer", "refused"),
				).Value(&v),
			).Title(header(3, n))), func() string { return v }
		}},
		{"age", func(prev string) (*huh.Form, func() string) {
			v := prev
			return huh.NewForm(huh.NewGroup(
				huh.NewInput().Title("Age in years").Value(&v).Validate(func(s string) error {
					n, err := strconv.Atoi(strings.TrimSpace(s))
					if err != nil {
						return errors.New("Please enter a whole number.")
					}
					if n < 0 || n > 120 {
						return fmt.Errorf("Age must be between 0 and 120 (got %d).", n)
					}
					return nil
				}),
			).Title(header(4, n))), func() string { return strings.TrimSpace(v) }
		}},
		{"pets", func(prev string) (*huh.Form, func() string) {
			var sel []string
			if prev != "" {
				sel = strings.Split(prev, ",")
			}
			return huh.NewForm(huh.NewGroup(
				huh.NewMultiSelect[string]().Title("Which pets?").Options(
					huh.NewOptions("cat", "dog", "fish", "bird")...,
				).Value(&sel).Validate(func(v []string) error {
					if len(v) == 0 {
						return errors.New("Pick at least one (or go back).")
					}
					return nil
				}),
			).Title(header(5, n))), func() string { return strings.Join(sel, ",") }
		}},
	}
}

func main() {
	var cfg config
	flag.BoolVar(&cfg.alt, "alt", false, "use the alternate screen")
	flag.IntVar(&cfg.width, "width", 0, "form width (0: terminal width)")
	flag.StringVar(&cfg.theme, "theme", "charm", "charm|base|base16")
	only := flag.String("only", "", "run only this question id")
	single := flag.Bool("single", false, "one tea.Program for the whole interview")
	accessible := flag.Bool("accessible", false, "huh accessible mode demo (reads stdin)")
	flag.Parse()

	if *accessible {
		accessibleDemo()
		return
	}

	qs := questions()
	if *only != "" {
		for _, q := range qs {
			if q.id == *only {
				qs = []question{q}
			}
		}
	}
	answers := map[string]string{}
	if *single {
		runSingle(cfg, qs, answers)
		return
	}
	for i := 0; i < len(qs); {
		q := qs[i]
		form, value := q.build(answers[q.id])
		outcome, err := ask(cfg, form)
		if err != nil {
			fmt.Println("ERROR:", err)
			os.Exit(1)
		}
		fmt.Printf("[%s: %s]\r\n", q.id, outcome)
		switch outcome {
		case Quit:
			fmt.Println("QUIT")
			os.Exit(130)
		case Back:
			if i > 0 {
				i--
			}
		case Answered:
			answers[q.id] = value()
			i++
		}
	}
	printResult(qs, answers)
}

func printResult(qs []question, answers map[string]string) {
	var parts []string
	for _, q := range qs {
		parts = append(parts, q.id+"="+answers[q.id])
	}
	fmt.Println("RESULT " + strings.Join(parts, " "))
}

// interview is the single-program variant: one tea.Program, a fresh
// *huh.Form per question swapped in by the parent model.
type interview struct {
	cfg     config
	qs      []question
	i       int
	answers map[string]string
	form    *huh.Form
	value   func() string
	quit    bool
}

func (m *interview) load() tea.Cmd {
	f, v := m.qs[m.i].build(m.answers[m.qs[m.i].id])
	m.form, m.value = configure(m.cfg, f), v
	return m.form.Init()
}

func (m *interview) Init() tea.Cmd { return m.load() }

func (m *interview) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, backKey) {
		if m.i > 0 {
			m.i--
		}
		return m, m.load()
	}
	fm, cmd := m.form.Update(msg)
	m.form = fm.(*huh.Form)
	switch m.form.State {
	case huh.StateCompleted:
		m.answers[m.qs[m.i].id] = m.value()
		m.i++
		if m.i == len(m.qs) {
			return m, tea.Quit
		}
		return m, m.load()
	case huh.StateAborted:
		m.quit = true
		return m, tea.Quit
	}
	return m, cmd
}

func (m *interview) View() tea.View {
	if m.quit || m.i == len(m.qs) {
		return tea.NewView("")
	}
	v := tea.NewView(m.form.View())
	v.AltScreen = m.cfg.alt
	return v
}

func runSingle(cfg config, qs []question, answers map[string]string) {
	m := &interview{cfg: cfg, qs: qs, answers: answers}
	_, err := tea.NewProgram(m, tea.WithOutput(os.Stdout), debugFilter()).Run()
	if errors.Is(err, tea.ErrInterrupted) || m.quit {
		fmt.Println("QUIT")
		os.Exit(130)
	}
	if err != nil {
		fmt.Println("ERROR:", err)
		os.Exit(1)
	}
	printResult(qs, answers)
}

// accessibleDemo shows huh's accessible mode behaviour: two inputs and a
// hidden group, reading os.Stdin.
func accessibleDemo() {
	var a, b, hidden string
	a, b = "defA", "defB"
	err := huh.NewForm(
		huh.NewGroup(huh.NewInput().Title("First?").Value(&a)),
		huh.NewGroup(huh.NewInput().Title("Hidden?").Value(&hidden)).WithHide(true),
		huh.NewGroup(huh.NewInput().Title("Second?").Value(&b)),
	).WithAccessible(true).Run()
	fmt.Printf("\nACCESSIBLE a=%q hidden=%q b=%q err=%v\n", a, hidden, b, err)
}

// debugFilter logs every message with a timestamp to $FORMDEMO_LOG.
func debugFilter() tea.ProgramOption {
	path := os.Getenv("FORMDEMO_LOG")
	if path == "" {
		return func(*tea.Program) {}
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		panic(err)
	}
	start := time.Now()
	return tea.WithFilter(func(_ tea.Model, msg tea.Msg) tea.Msg {
		fmt.Fprintf(f, "%8.3fms %T %v\n", float64(time.Since(start).Microseconds())/1000, msg, msg)
		return msg
	})
}
