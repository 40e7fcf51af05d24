package questionnaire

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A flow arrives in a bundle from outside: these tests play the flows an
// attacker would write. Each puts one expression (the finding "bomb", on
// line hostileLine) into a small flow.

const hostileLine = 25

func hostileFlow(expr string) []byte {
	return []byte(`id: hostile
version: "1.0.0"
default_language: en
languages: [en]
title: {en: Hostile}
sections:
  - id: s
    title: {en: S}
    questions:
      - id: consent
        type: yes_no
        required: true
        label: {en: "Consent?"}
        ends_interview_if: consent == "no"
      - id: age
        type: integer
        min: 0
        max: 120
        label: {en: "Age?"}
      - id: town
        type: text
        label: {en: "Town?"}
findings:
  - id: bomb
    expr: ` + strconv.Quote(expr) + `
derived:
  - id: big
    expr: "map(1..4000, #)"
`)
}

// (big is a list of 4000 items, made once per interview: within the
// budget, and long enough to be costly when walked over and over.)

// TestHostileClock: a flow is a pure function of the answers. An
// expression reading the clock would give another summary tomorrow, and
// can plant a time bomb (a rule that starts failing on a date) in every
// interview taken with it; such a flow is refused at load.
func TestHostileClock(t *testing.T) {
	for _, expr := range []string{
		`now().Year() >= 2027`,
		`now()`,
		`date("2027-01-01") != nil`,
		`duration("1h") != nil`,
		`timezone("Europe/Paris") != nil`,
		`real(age) and now().Year() - age > 1990`,
		`town | date() != nil`,
		`now`,
	} {
		t.Run(expr, func(t *testing.T) {
			_, err := Load("hostile.yaml", hostileFlow(expr))
			if err == nil {
				t.Fatalf("a flow reading the clock loaded: %s", expr)
			}
			for _, want := range []string{fmt.Sprintf("hostile.yaml:%d:", hostileLine), `finding "bomb"`} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("no %q in:\n%v", want, err)
				}
			}
		})
	}
}

// TestHostileBuiltins: builtins that can allocate without bound, read
// nothing an answer holds (JSON, base64) or turn any value into text
// (string, on a list that refers to itself many times over) are refused at
// load, naming the builtin, the rule and its line.
func TestHostileBuiltins(t *testing.T) {
	for _, c := range []struct{ expr, name string }{
		{`len(repeat("x", 1000000)) > 0`, "repeat"},
		{`len(repeat(repeat("xxxxxxxxxxxxxxxx", 1000000), 1000000))`, "repeat"},
		{`len(join(map(1..1000, town), "")) > 0`, "join"},
		{`len(replace(town, "", town)) > 0`, "replace"},
		{`len(concat([1], [2]))`, "concat"},
		{`len(flatten([[1], [2]]))`, "flatten"},
		{`len(toJSON(town))`, "toJSON"},
		{`fromJSON(town) != nil`, "fromJSON"},
		{`len(toBase64(town))`, "toBase64"},
		{`len(split(town, ""))`, "split"},
		{`len(string(age))`, "string"},
		{`town | repeat(1000000) | len()`, "repeat"},
		{`len(toPairs({"a": 1}))`, "toPairs"},
	} {
		t.Run(c.expr, func(t *testing.T) {
			_, err := Load("hostile.yaml", hostileFlow(c.expr))
			if err == nil {
				t.Fatalf("loaded: %s", c.expr)
			}
			for _, want := range []string{fmt.Sprintf("hostile.yaml:%d:", hostileLine), `finding "bomb"`, c.name} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("no %q in:\n%v", want, err)
				}
			}
		})
	}
}

// hostileRun loads expr's flow and scores answers in a child process held
// to 1 GiB more address space than it starts with and to limit of time, so
// that a flow that exhausts memory or runs for hours fails the test instead
// of the machine. It returns what the child printed: "loaded" and then the
// error Score gave, or "scored".
func hostileRun(t *testing.T, expr string, limit time.Duration) string {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the child's memory limit needs Linux")
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHostileChild$", "-test.v")
	cmd.Env = append(os.Environ(), "HOSTILE_EXPR="+expr)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(start)
	if ctx.Err() != nil {
		t.Fatalf("scoring did not end within %v: %s", limit, expr)
	}
	if err != nil {
		tail := string(out)
		if len(tail) > 600 {
			tail = tail[:600]
		}
		t.Fatalf("the child died (%v) after %v:\n%s", err, took.Round(time.Millisecond), tail)
	}
	t.Logf("%v: %s", took.Round(time.Millisecond), expr)
	s := string(out)
	if i := strings.Index(s, "RESULT:"); i >= 0 {
		s = s[i+len("RESULT:"):]
		if j := strings.Index(s, "\n"); j >= 0 {
			s = s[:j]
		}
		return s
	}
	t.Fatalf("the child printed no result:\n%s", out)
	return ""
}

// TestHostileChild is the child of hostileRun; it does nothing on its own.
func TestHostileChild(t *testing.T) {
	expr := os.Getenv("HOSTILE_EXPR")
	if expr == "" {
		t.Skip("run by hostileRun")
	}
	var st syscall.Rlimit
	if vm := vmSize(); vm > 0 {
		st.Cur, st.Max = vm+1<<30, vm+1<<30
		if err := syscall.Setrlimit(syscall.RLIMIT_AS, &st); err != nil {
			t.Fatal(err)
		}
	}
	f, err := Load("hostile.yaml", hostileFlow(expr))
	if err != nil {
		fmt.Printf("RESULT:refused at load: %s\n", strings.ReplaceAll(err.Error(), "\n", " | "))
		return
	}
	_, err = f.Score(Answers{"consent": "yes", "age": 30, "town": strings.Repeat("town", 1000)})
	if err != nil {
		fmt.Printf("RESULT:loaded; %s\n", err)
		return
	}
	fmt.Println("RESULT:scored")
}

// vmSize is this process's virtual memory size, from /proc (0 if unknown).
func vmSize() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(l, "VmSize:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// TestHostileBudget: expressions the loader cannot tell from honest ones
// (they use only what a flow may use) but that would take all memory or
// run for hours on any answers. Each evaluation has a budget of steps and
// memory; going over it is an error naming the rule and its line, returned
// at once.
func TestHostileBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	// A literal list of 50 items: constant, so making it costs nothing.
	list := "[" + strings.Repeat("1, ", 49) + "1]"
	for _, c := range []struct{ name, expr, want string }{
		{"memory: text doubled 40 times", `len(reduce(1..40, #acc + #acc, "xxxxxxxxxxxxxxxx")) > 0`, "memory"},
		{"memory: an answer doubled 30 times", `len(reduce(1..30, #acc + #acc, town)) > 0`, "memory"},
		{"memory: a range of 100 million", `len(1..100000000) > 0`, "memory"},
		{"memory: a list of lists, 2^40 items deep", `reduce(1..40, [#acc, #acc], [town])`, "list"},
		{"time: quadratic reduce", `len(reduce(1..900000, #acc + "xxxxxxxxxx", "")) > 0`, "budget"},
		{"time: loops nested six deep", "all(L, all(L, all(L, all(L, all(L, all(L, # > 0))))))", "steps"},
		{"time: a long list searched in a loop", `all(1..4000, not has(big, -1))`, "steps"},
		{"time: a long list searched in a loop with in", `all(1..4000, -1 not in big)`, "steps"},
		{"time: long lists compared in a loop", `all(1..4000, big == map(big, #))`, "memory"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := hostileRun(t, strings.ReplaceAll(c.expr, "L", list), 30*time.Second)
			if !strings.HasPrefix(got, "loaded; ") {
				t.Fatalf("want an error from Score, got: %s", got)
			}
			for _, want := range []string{`finding "bomb"`, fmt.Sprintf("line %d", hostileLine), c.want} {
				if !strings.Contains(got, want) {
					t.Errorf("no %q in: %s", want, got)
				}
			}
			if strings.Contains(got, "towntown") {
				t.Errorf("the message quotes an answer: %s", got)
			}
		})
	}
}

// TestTextAnswerCap: a text answer is at most MaxTextAnswer bytes, so
// that walking one is cheap however often an expression does.
func TestTextAnswerCap(t *testing.T) {
	f, err := Load("hostile.yaml", hostileFlow(`town == "x"`))
	if err != nil {
		t.Fatal(err)
	}
	q := f.Question("town")
	if _, err := f.Check(q, strings.Repeat("é", MaxTextAnswer/2), nil, "en"); err != nil {
		t.Fatalf("an answer of %d bytes is refused: %v", MaxTextAnswer, err)
	}
	_, err = f.Check(q, strings.Repeat("x", MaxTextAnswer+1), nil, "en")
	if err == nil || !strings.Contains(err.Error(), "at most 10000") {
		t.Fatalf("an answer of %d bytes: %v", MaxTextAnswer+1, err)
	}
}

// TestHostileFlowText: a flow's texts reach terminals, handovers and
// spreadsheets. One holding an escape sequence (written with YAML's
// escapes) or a bidirectional override is refused at load.
func TestHostileFlowText(t *testing.T) {
	for _, label := range []string{`"\e]52;c;Y3VybA==\a"`, `"\x9b2J"`, `"safe \u202Eevil"`, `"a\rb"`, `"zero\u200Bwidth"`} {
		src := strings.Replace(string(hostileFlow(`town == "x"`)), `label: {en: "Town?"}`, `label: {en: `+label+`}`, 1)
		_, err := Load("hostile.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), "hostile.yaml:22:") || !strings.Contains(err.Error(), "control character") {
			t.Errorf("label %s: %v", label, err)
		}
	}
	src := strings.Replace(string(hostileFlow(`town == "x"`)), `label: {en: "Town?"}`, `label: {en: "Ville ? – «\u00a0» \t ok"}`, 1)
	if _, err := Load("hostile.yaml", []byte(src)); err != nil {
		t.Errorf("an honest label is refused: %v", err)
	}
}
