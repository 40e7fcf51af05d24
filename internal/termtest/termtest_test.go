package termtest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"
)

var demoBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "termtest")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	demoBin = filepath.Join(dir, "formdemo")
	build := exec.Command("go", "build", "-o", demoBin, "./testdata/formdemo")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build formdemo:", err)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

const wait = 10 * time.Second

// --- harness against plain shell programs -------------------------------

func TestScreenEraseAndCursorMovement(t *testing.T) {
	// clear screen, home, write, move up, erase line, overwrite.
	script := `printf 'junk\033[2J\033[Hline1\r\nline2   \r\nline3\033[1A\033[2K\rLINE2\033[3;1Hend'`
	term := Start(t, "/bin/sh", []string{"-c", script + "; sleep 0.2"}, nil, 40, 6)
	term.WaitFor("ende3", wait)
	if got, want := term.Screen(), "line1\nLINE2\nende3"; got != want {
		t.Fatalf("screen = %q, want %q", got, want)
	}
	if code, err := term.Wait(wait); code != 0 || err != nil {
		t.Fatalf("exit = %d, %v", code, err)
	}
}

func TestAnswersCursorPositionQuery(t *testing.T) {
	// A program that blocks on a DSR reply, like a TUI probing the terminal.
	script := `printf '\033[3;7H\033[6n'; IFS= read -rs -d R reply; printf '\r\nreply=%s\r\n' "$(printf %s "$reply" | tr -d '\033')"`
	term := Start(t, "/bin/bash", []string{"-c", script}, nil, 40, 6)
	term.WaitFor("reply=[3;7", wait)
	if code, _ := term.Wait(wait); code != 0 {
		t.Fatalf("exit %d", code)
	}
}

func TestExitCodeSignalAndOutput(t *testing.T) {
	term := Start(t, "/bin/sh", []string{"-c", `printf 'ready\n'; sleep 30`}, nil, 40, 6)
	term.WaitFor("ready", wait)
	term.Signal(syscall.SIGTERM)
	code, err := term.Wait(wait)
	if code != 128+int(syscall.SIGTERM) || err == nil {
		t.Fatalf("exit = %d, %v; want 143 and an error", code, err)
	}
	if !strings.Contains(term.Output(), "ready\r\n") { // the pty maps \n to \r\n
		t.Fatalf("output %q", term.Output())
	}

	term = Start(t, "/bin/sh", []string{"-c", "exit 3"}, []string{"FOO=bar"}, 40, 6)
	if code, err := term.Wait(wait); code != 3 || err != nil {
		t.Fatalf("exit = %d, %v", code, err)
	}
	// A signal that comes after the program ended by itself (a test that
	// raced its end) is no failure: Wait still says how it ended.
	term.Signal(syscall.SIGKILL)
	if code, _ := term.Wait(wait); code != 3 {
		t.Fatalf("exit after a late signal = %d, want 3", code)
	}
}

func TestEnvAndSize(t *testing.T) {
	term := Start(t, "/bin/sh", []string{"-c", `echo "term=$TERM foo=$FOO size=$(stty size)"`}, []string{"FOO=bar"}, 50, 7)
	term.WaitFor("term=xterm-256color foo=bar size=7 50", wait)
}

// --- harness against a real huh v2 program (testdata/formdemo) ------------

// answerAll drives formdemo through its five questions, waiting for each
// question before typing, as a person would.
func answerAll(t *testing.T, term *Term) {
	t.Helper()
	term.WaitFor("Section 1 of 5", wait)
	term.Send(Enter)
	term.WaitFor("Which region", wait)
	term.Send(Down, Down)
	term.WaitFor("> Region 03", wait)
	term.Send(Enter)
	term.WaitFor("Do you smoke?", wait)
	term.Send(Down, Down)
	term.WaitFor("> Don't know", wait)
	term.Send(Enter)
	term.WaitFor("Age in years", wait)
	term.Type("42")
	term.Send(Enter)
	term.WaitFor("Which pets?", wait)
	term.Send(Space, Down, Space)
	term.WaitFor("> ✓ dog", wait)
	term.Send(Enter)
}

const wantResult = "RESULT intro=ok region=r03 smoker=dk age=42 pets=cat,dog"

func TestFormFlow(t *testing.T) {
	for _, args := range [][]string{nil, {"-single"}, {"-alt"}, {"-alt", "-single"}} {
		t.Run(fmt.Sprint(args), func(t *testing.T) {
			term := Start(t, demoBin, args, nil, 60, 24)
			answerAll(t, term)
			term.WaitFor(wantResult, wait)
			if code, err := term.Wait(wait); code != 0 || err != nil {
				t.Fatalf("exit = %d, %v", code, err)
			}
			if len(args) > 0 && args[0] == "-alt" {
				// Alternate screen: nothing of the forms is left behind.
				want := wantResult
				if len(args) == 1 {
					want = "[intro: answered]\n[region: answered]\n[smoker: answered]\n[age: answered]\n[pets: answered]\n" + wantResult
				}
				if got := term.Screen(); got != want {
					t.Fatalf("final screen:\n%s\nwant:\n%s", got, want)
				}
			}
			// Inline mode (no -alt): bubbletea v2.0.2 often fails to erase a
			// finished frame (same bytes render the same in tmux), so parts
			// of earlier questions stay on screen. See HUH_NOTES.md.
		})
	}
}

func TestBackKeyRestoresPreviousAnswer(t *testing.T) {
	// Not run: inline -single, where stale fragments of the old frame make
	// "is the region question back?" undecidable from the screen alone.
	for _, args := range [][]string{nil, {"-alt"}, {"-alt", "-single"}} {
		t.Run(fmt.Sprint(args), func(t *testing.T) {
			term := Start(t, demoBin, args, nil, 60, 24)
			term.WaitFor("Section 1 of 5", wait)
			term.Send(Enter)
			term.WaitFor("Which region", wait)
			term.Send(Down, Down, Down)
			term.WaitFor("> Region 04", wait)
			term.Send(Enter)
			term.WaitFor("Do you smoke?", wait)
			term.Send(ShiftTab) // back
			switch {
			case args == nil:
				// Inline, one program per question: old frames may linger
				// (see TestFormFlow), so wait for the program's own marker.
				term.WaitFor("[smoker: back]", wait)
			case args[0] == "-alt":
				term.WaitForNot("Do you smoke?", wait)
			}
			term.WaitFor("Section 2 of 5", wait)
			term.WaitFor("> Region 04", wait)
			term.Send(Down)
			term.WaitFor("> Region 05", wait)
			term.Send(Enter)
			term.WaitFor("Section 3 of 5", wait)
			term.Send(CtrlB) // the other back binding
			term.WaitFor("> Region 05", wait)
			if args != nil && args[0] == "-alt" {
				term.WaitForNot("Do you smoke?", wait)
				term.Send(Enter)
				term.WaitFor("Do you smoke?", wait)
				term.Send(Esc) // third binding; a lone Esc is delivered after a short delay
				term.WaitForNot("Do you smoke?", wait)
				term.WaitFor("> Region 05", wait)
			}
			term.Send(CtrlC)
			term.WaitFor("QUIT", wait)
		})
	}
}

func TestInputValidationMessages(t *testing.T) {
	term := Start(t, demoBin, []string{"-only", "age"}, nil, 60, 12)
	term.WaitFor("Age in years", wait)
	term.Type("abc")
	term.Send(Enter)
	term.WaitFor("Please enter a whole number.", wait)
	term.Send(Backspace, Backspace, Backspace)
	term.Type("200")
	term.Send(Enter)
	term.WaitFor("Age must be between 0 and 120 (got 200).", wait)
	term.WaitForNot("whole number", wait)
	term.Send(Backspace, Backspace, Backspace)
	term.Type("7")
	term.Send(Enter)
	term.WaitFor("RESULT age=7", wait)
}

func TestQuitPaths(t *testing.T) {
	cases := []struct {
		name string
		args []string
		quit func(*Term)
	}{
		{"ctrl-c", nil, func(term *Term) { term.Send(CtrlC) }},
		{"sigint", nil, func(term *Term) { term.Signal(syscall.SIGINT) }},
		{"sigterm", nil, func(term *Term) { term.Signal(syscall.SIGTERM) }},
		{"single ctrl-c", []string{"-single"}, func(term *Term) { term.Send(CtrlC) }},
		{"single sigint", []string{"-single"}, func(term *Term) { term.Signal(syscall.SIGINT) }},
		{"alt ctrl-c", []string{"-alt"}, func(term *Term) { term.Send(CtrlC) }},
		{"alt sigterm", []string{"-alt"}, func(term *Term) { term.Signal(syscall.SIGTERM) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			term := Start(t, demoBin, append(c.args, "-only", "region"), nil, 60, 24)
			term.WaitFor("Which region", wait)
			c.quit(term)
			term.WaitFor("QUIT", wait)
			if code, err := term.Wait(wait); code != 130 || err != nil {
				t.Fatalf("exit = %d, %v", code, err)
			}
			if c.args != nil && c.args[0] == "-alt" {
				term.WaitForNot("Which region", wait)
			}
		})
	}
}

func TestAltScreen(t *testing.T) {
	term := Start(t, demoBin, []string{"-alt", "-only", "smoker"}, nil, 60, 24)
	term.WaitFor("Do you smoke?", wait)
	if !term.AltScreen() {
		t.Fatal("expected the alternate screen")
	}
	term.Send(Enter)
	term.WaitFor("RESULT smoker=yes", wait)
	if term.AltScreen() {
		t.Fatal("still on the alternate screen after exit")
	}
	if strings.Contains(term.Screen(), "Do you smoke?") {
		t.Fatalf("form lingers:\n%s", term.Screen())
	}
}

func TestWidthWraps(t *testing.T) {
	term := Start(t, demoBin, []string{"-width", "24", "-only", "region"}, nil, 80, 24)
	term.WaitFor("> Region 01", wait)
	for _, line := range strings.Split(term.Screen(), "\n") {
		if n := utf8.RuneCountInString(line); n > 24 {
			t.Errorf("line wider than 24 (%d): %q", n, line)
		}
	}
	// Title and question wrap; the help line is truncated with an ellipsis.
	term.WaitFor("Household — Section 2 of\n5\n", wait)
	term.WaitFor("┃ Which region do you\n┃ live in?", wait)
	term.WaitFor("↑ up • ↓ down …", wait)
}

func TestAccessibleModeFacts(t *testing.T) {
	// huh's own accessible mode, with piped stdin (no pty): the first prompt's
	// bufio.Scanner swallows the rest of the input, the hidden group is
	// prompted anyway, and EOF silently yields the defaults with a nil error.
	cmd := exec.Command(demoBin, "-accessible")
	cmd.Stdin = strings.NewReader("one\ntwo\nthree\n")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatal(err, string(out))
	}
	for _, want := range []string{"Hidden?", `ACCESSIBLE a="one" hidden="" b="defB" err=<nil>`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("missing %q in %q", want, out)
		}
	}
}

// measureSelectLatency presses Down n times on formdemo's 10-option Select
// and returns, per key, the time from writing the key to the pty until the
// emulated screen shows the moved cursor.
func measureSelectLatency(tb testing.TB, n int) []time.Duration {
	term := Start(tb, demoBin, []string{"-only", "region"}, nil, 60, 24)
	term.WaitFor("> Region 01", wait)
	time.Sleep(100 * time.Millisecond) // let start-up messages settle
	lat := make([]time.Duration, 0, n)
	for i := 1; i <= n; i++ {
		want := fmt.Sprintf("> Region %02d", i%10+1)
		start := time.Now()
		term.Send(Down)
		if !term.WaitForFunc(func(s string) bool { return strings.Contains(s, want) }, wait) {
			tb.Fatalf("%q never appeared\n%s", want, term.dump())
		}
		lat = append(lat, time.Since(start))
		time.Sleep(time.Duration(i%7) * time.Millisecond) // de-phase from the frame ticker
	}
	term.Send(CtrlC)
	_, _ = term.Wait(wait)
	return lat
}

func TestSelectKeyToFrameLatency(t *testing.T) {
	lat := measureSelectLatency(t, 60)
	slices.Sort(lat)
	var sum time.Duration
	for _, d := range lat {
		sum += d
	}
	t.Logf("key→frame over %d Down presses: min %v  median %v  mean %v  p90 %v  max %v",
		len(lat), lat[0], lat[len(lat)/2], sum/time.Duration(len(lat)), lat[len(lat)*9/10], lat[len(lat)-1])
	if lat[len(lat)/2] > 500*time.Millisecond {
		t.Errorf("median latency %v", lat[len(lat)/2])
	}
}

func BenchmarkSelectKeyToFrame(b *testing.B) {
	lat := measureSelectLatency(b, b.N)
	var sum time.Duration
	for _, d := range lat {
		sum += d
	}
	b.ReportMetric(float64(sum.Microseconds())/float64(len(lat))/1000, "ms/key")
}
