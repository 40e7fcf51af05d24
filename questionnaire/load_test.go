package questionnaire

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const flowDir = "../testdata/flows"

// wants reads the `# want: substring` lines at the top of a flow file.
func wants(src []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(src))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "# want: "); ok {
			out = append(out, rest)
		}
	}
	return out
}

// wantNots reads the `# wantnot: substring` lines: messages that must not appear.
func wantNots(src []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(src))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "# wantnot: "); ok {
			out = append(out, rest)
		}
	}
	return out
}

// loadNoPanic loads a flow and fails when the loader hit an internal error
// (Load turns a panic into a problem; for tests and fuzzing that is a bug).
func loadNoPanic(t testing.TB, name string, src []byte) (*Flow, error) {
	t.Helper()
	f, err := Load(name, src)
	if err != nil && strings.Contains(err.Error(), "internal error") {
		t.Fatalf("Load panicked:\n%v\n--- input ---\n%s", err, src)
	}
	if (f == nil) == (err == nil) {
		t.Fatalf("Load returned flow %v and error %v", f != nil, err)
	}
	return f, err
}

// TestLoadProblems loads each flow in testdata/flows/invalid and expects
// every `# want:` message, as `file:line:col: message` substrings.
func TestLoadProblems(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(flowDir, "invalid", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no invalid flows: %v", err)
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(strings.TrimSuffix(name, ".yaml"), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			ws := wants(src)
			if len(ws) == 0 {
				t.Fatalf("%s has no `# want:` line", name)
			}
			f, err := loadNoPanic(t, name, src)
			if err == nil {
				t.Fatalf("loaded %s (id %q), want problems", name, f.ID)
			}
			if _, ok := err.(Problems); !ok {
				t.Fatalf("error is %T, want Problems", err)
			}
			for _, w := range ws {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("no problem %q in:\n%v", w, err)
				}
			}
			for _, w := range wantNots(src) {
				if strings.Contains(err.Error(), w) {
					t.Errorf("unexpected problem %q in:\n%v", w, err)
				}
			}
			// Every problem names the file, and a line whenever it can.
			for _, p := range err.(Problems) {
				if p.File != name {
					t.Errorf("problem %q names file %q", p, p.File)
				}
			}
		})
	}
}

// Inline cases for problems that are easiest to see next to their flow.
func TestLoadProblemsInline(t *testing.T) {
	head := "id: x\nversion: \"1\"\ndefault_language: en\ntitle: X\nsections:\n  - id: s\n    title: S\n    questions:\n"
	cases := []struct {
		name, src string
		want      []string
	}{
		{"empty file", "", []string{"t.yaml:1:1: the file is empty"}},
		{"not a mapping", "- a\n- b\n", []string{"t.yaml:1:1: a flow must be a mapping"}},
		{"empty list item", head + "      - {id: a, type: yes_no, label: A}\nfindings:\n  -\n  - {id: f, expr: a}\n", []string{"t.yaml:11:4: an empty item in the flow's top level"}},
		{"no sections", "id: x\nversion: \"1\"\ndefault_language: en\ntitle: X\n", []string{"the flow has no sections"}},
		{"bad id", head + "      - {id: Age, type: integer, label: A}\n", []string{"t.yaml:9:9:", `id "Age" must start with a lower-case letter`}},
		{"reserved id", head + "      - {id: value, type: integer, label: A}\n", []string{`"value" is a reserved word`}},
		{"declined as a choice", head + "      - {id: c, type: choice, label: C, choices: [{value: declined, label: D}]}\n",
			[]string{`t.yaml:9:51: question "c": "declined" is offered on every question`}},
		{"duplicate choice", head + "      - {id: c, type: choice, label: C, choices: [{value: a, label: A}, {value: a, label: B}]}\n",
			[]string{`question "c" has the choice "a" twice`}},
		{"min on text", head + "      - {id: t, type: text, label: T, min: 1}\n", []string{`question "t": min and max apply only to integer questions`}},
		{"required note", head + "      - {id: n, type: note, label: N, required: true}\n", []string{`question "n" is a note`}},
		{"yes_no with other choices", head + "      - {id: y, type: yes_no, label: Y, choices: [{value: maybe}]}\n",
			[]string{`question "y" is yes_no; its choices may only relabel yes and no, not "maybe"`}},
		{"referral without priority", head + "      - {id: a, type: yes_no, label: A}\nreferrals:\n  - {id: r, label: R, when: a == \"yes\"}\n",
			[]string{`t.yaml:11:5: referral "r" has no priority`}},
		{"bad priority", head + "      - {id: a, type: yes_no, label: A}\nreferrals:\n  - {id: r, label: R, when: a == \"yes\", priority: [{value: soon}]}\n",
			[]string{`referral "r": priority soon is not one of urgent, high, standard`}},
		{"finding reads a later rule is fine, a condition reading a finding is not",
			head + "      - {id: a, type: yes_no, label: A}\n      - {id: b, type: yes_no, label: B, relevant: result == \"x\"}\nfindings:\n  - {id: result, expr: a}\n",
			[]string{`question "b"'s relevant: reads finding "result"`}},
		{"condition reads a referral", head + "      - {id: a, type: yes_no, label: A}\n      - {id: b, type: yes_no, label: B, relevant: referral.r == \"high\"}\nreferrals:\n  - {id: r, label: R, when: a == \"yes\", priority: [{value: high}]}\n",
			[]string{`question "b"'s relevant: reads referral; referrals and cautions are decided at the end`}},
		{"comparing a referral with an impossible priority", head + "      - {id: a, type: yes_no, label: A}\nreferrals:\n  - {id: r, label: R, when: a == \"yes\", priority: [{value: high}]}\nfindings:\n  - {id: f, expr: referral.r == \"hihg\"}\n",
			[]string{`a referral's priority cannot be "hihg" (did you mean "high"?)`}},
		{"finding value compared with an impossible value", head + "      - {id: a, type: yes_no, label: A}\nfindings:\n  - {id: f, cases: [{value: x, when: a == \"yes\"}, {value: y}]}\n  - {id: g, expr: f == \"z\"}\n",
			[]string{`"f" cannot be "z" (did you mean "x"?); it takes: x, y`}},
		{"has with impossible value", head + "      - {id: m, type: multi, label: M, choices: [{value: a, label: A}]}\nfindings:\n  - {id: f, expr: 'has(m, \"b\")'}\n",
			[]string{`"m" cannot be "b"`}},
		{"derived value reads a finding", head + "      - {id: a, type: yes_no, label: A}\nderived:\n  - {id: d, expr: f}\nfindings:\n  - {id: f, expr: a}\n",
			[]string{`derived value "d": reads finding "f"`}},
		{"expression is not a string", head + "      - {id: a, type: yes_no, label: A, relevant: [1, 2]}\n",
			[]string{"relevant must be an expression on one line"}},
		{"empty expression", head + "      - {id: a, type: yes_no, label: A}\nfindings:\n  - {id: f, expr: \"  \"}\n",
			[]string{`finding "f" is empty`}},
		{"type error in expression", head + "      - {id: a, type: yes_no, label: A}\nfindings:\n  - {id: f, expr: 'a + [1]'}\n",
			[]string{`t.yaml:11:19: finding "f" does not compile`}},
		{"two fields in one place", head + "      - {id: a, type: yes_no, label: A}\nfindings:\n  - {id: f, field: r, expr: a}\n  - {id: g, field: r.x, expr: a}\n",
			[]string{`summary field "r" would hold both a value and "r.x"`}},
		{"text in an undeclared language", head + "      - {id: a, type: yes_no, label: {en: A, de: A}}\n",
			[]string{`question "a"'s label has text in "de", which is not among the flow's languages (en)`}},
		{"default language not declared", "id: x\nversion: \"1\"\ndefault_language: en\nlanguages: [fr]\ntitle: X\nsections: []\n",
			[]string{`default_language "en" is not among languages (fr)`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { loadWantProblems(t, c.src, c.want) })
	}
}

func TestLoadBuiltinAndMinimal(t *testing.T) {
	f := builtin(t)
	if f.ID == "" || len(f.Questions) != 39 {
		t.Errorf("built-in flow: id %q, %d questions; want 39 (the spec's table)", f.ID, len(f.Questions))
	}
	if !strings.HasPrefix(f.Hash, "sha256:") {
		t.Errorf("hash = %q", f.Hash)
	}
	src, err := os.ReadFile(filepath.Join(flowDir, "minimal.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := loadNoPanic(t, "minimal.yaml", src)
	if err != nil {
		t.Fatalf("minimal.yaml does not load:\n%v", err)
	}
	types := map[Kind]bool{}
	for _, q := range m.Questions {
		types[q.Type] = true
	}
	for _, typ := range Kinds() {
		if !types[typ] {
			t.Errorf("minimal.yaml has no %s question", typ)
		}
	}
	if len(m.Derived) == 0 || len(m.Findings) == 0 || len(m.Referrals) == 0 || len(m.Cautions) == 0 {
		t.Errorf("minimal.yaml lacks a derived value, finding, referral or caution")
	}

	cases := []struct {
		answers      string
		support      string
		child        bool
		shelter      string // "" when absent
		caution      bool
		dropped, gap []string
	}{
		{"answers:\n  consent: \"yes\"\n  age: 12\n  lives_in: village\n  town: Paris\n  needs: [shelter]\n", "priority", true, "urgent", true, []string{"town"}, nil},
		{"language: fr\nanswers:\n  consent: \"yes\"\n  age: 40\n  lives_in: city\n  town: Lyon\n  needs: [medical, shelter]\n", "priority", false, "standard", false, nil, nil},
		{"answers:\n  consent: \"yes\"\n  age: declined\n  lives_in: city\n  needs: [medical]\n", "some", false, "", false, nil, []string{"age", "town"}},
		{"answers:\n  consent: \"yes\"\n  needs: [none]\n", "none", false, "", false, nil, []string{"age", "lives_in"}},
		{"answers:\n  consent: \"no\"\n  needs: [shelter]\n", "unknown", false, "", false, []string{"needs"}, nil},
	}
	for i, c := range cases {
		af, err := m.ParseAnswers("a.yaml", []byte(c.answers))
		if err != nil {
			t.Errorf("case %d: %v", i, err)
			continue
		}
		s, err := m.Score(af.Answers)
		if err != nil {
			t.Errorf("case %d: Score: %v", i, err)
			continue
		}
		if got := s.GetString("result.support"); got != c.support {
			t.Errorf("case %d: result.support = %q, want %q", i, got, c.support)
		}
		if got := s.Get("result.child"); got != c.child {
			t.Errorf("case %d: result.child = %v, want %v", i, got, c.child)
		}
		r := referral(s, "shelter")
		if (r == nil) != (c.shelter == "") || (r != nil && r.Priority != c.shelter) {
			t.Errorf("case %d: shelter referral = %+v, want %q", i, r, c.shelter)
		}
		if hasCaution(s, "child_sensitive") != c.caution {
			t.Errorf("case %d: caution child_sensitive = %v, want %v", i, !c.caution, c.caution)
		}
		if !sameValue(nonNil(af.Dropped), nonNil(c.dropped)) {
			t.Errorf("case %d: dropped = %v, want %v", i, af.Dropped, c.dropped)
		}
		if !sameValue(nonNil(s.InformationGaps), nonNil(c.gap)) {
			t.Errorf("case %d: gaps = %v, want %v", i, s.InformationGaps, c.gap)
		}
	}
}

// Load reports problems of every kind in one pass where it can: structure,
// then (when names are sound) expressions; never a panic.
func TestLoadSeveralExpressionProblems(t *testing.T) {
	src := `id: x
version: "1"
default_language: en
title: X
sections:
  - id: s
    title: S
    questions:
      - {id: a, type: yes_no, label: A}
      - {id: b, type: yes_no, label: B, relevant: c == "yes"}
      - {id: c, type: yes_no, label: C, relevant: a == "maybe"}
findings:
  - {id: f, expr: nope}
referrals:
  - {id: r, label: R, when: 'a ==', priority: [{value: high}]}
cautions:
  - {id: k, label: K, when: referral.q == "high"}
`
	_, err := loadNoPanic(t, "t.yaml", []byte(src))
	for _, w := range []string{
		`t.yaml:10:51: question "b"'s relevant: names question "c"`,
		`t.yaml:11:51: question "c"'s relevant: "a" cannot be "maybe"`,
		`t.yaml:13:19: finding "f": names "nope"`,
		`t.yaml:15:29: referral "r" does not parse`,
		`t.yaml:17:29: caution "k": names unknown referral "q"`,
	} {
		if !containsProblem(err, w) {
			t.Errorf("no problem %q in:\n%v", w, err)
		}
	}
}

// TestLoadSaysEachProblemOnce: an expression that names an unknown
// question twice is one problem to fix, said once.
func TestLoadSaysEachProblemOnce(t *testing.T) {
	src := "id: x\nversion: \"1\"\ndefault_language: en\ntitle: X\nsections:\n  - id: s\n    title: S\n    questions:\n" +
		"      - {id: age, type: integer, label: Age}\nderived:\n  - id: child\n    expr: real(agee) and agee < 18\n"
	_, err := loadNoPanic(t, "t.yaml", []byte(src))
	ps, ok := err.(Problems)
	if !ok || len(ps) != 1 || !strings.Contains(ps[0].Message, `names "agee"`) {
		t.Errorf("want the unknown name once, got:\n%v", err)
	}
}

// TestLoadLanguagesOfTheWrongKind: `languages: fr` (not a list) is one
// problem, not one more for every French text of the flow.
func TestLoadLanguagesOfTheWrongKind(t *testing.T) {
	src := "id: x\nversion: \"1\"\ndefault_language: en\nlanguages: fr\ntitle: {en: X, fr: X}\nsections:\n  - id: s\n    title: {en: S, fr: S}\n    questions:\n" +
		"      - {id: a, type: yes_no, label: {en: A, fr: A}}\n"
	_, err := loadNoPanic(t, "t.yaml", []byte(src))
	ps, ok := err.(Problems)
	if !ok || len(ps) != 1 || ps[0].Line != 4 || !strings.Contains(ps[0].Message, "languages must be a list") {
		t.Errorf("want only the languages problem, got:\n%v", err)
	}
}

// A line indented wrong is named by its own line, not the one yaml.v3
// gives (where the block it was reading began, often far above), with
// where the blocks open above it take their lines and the way out; a
// mapping indented under the wrong list, or a key left under the wrong
// parent where the YAML still reads, is named too.
func TestLoadMisIndented(t *testing.T) {
	base := []string{
		"id: x",                      // 1
		"version: \"1\"",             // 2
		"default_language: en",       // 3
		"title: X",                   // 4
		"sections:",                  // 5
		"  - id: s",                  // 6
		"    title: S",               // 7
		"    questions:",             // 8
		"      - id: a",              // 9
		"        type: yes_no",       // 10
		"        label: A",           // 11
		"      - id: b",              // 12
		"        type: integer",      // 13
		"        min: 0",             // 14
		"        label: B",           // 15
		"findings:",                  // 16
		"  - id: f",                  // 17
		"    cases:",                 // 18
		"      - value: x",           // 19
		"        when: a == \"yes\"", // 20
		"      - value: y",           // 21
		"referrals:",                 // 22
		"  - id: r",                  // 23
		"    label: R",               // 24
		"    when: a == \"yes\"",     // 25
		"    priority:",              // 26
		"      - value: high",        // 27
	}
	if _, err := loadNoPanic(t, "t.yaml", []byte(strings.Join(base, "\n")+"\n")); err != nil {
		t.Fatalf("the base flow does not load: %v", err)
	}
	// with gives the base flow with line n (1-based) replaced by lines.
	with := func(n int, lines ...string) []byte {
		out := append(append(slices.Clone(base[:n-1]), lines...), base[n:]...)
		return []byte(strings.Join(out, "\n") + "\n")
	}
	cases := []struct {
		name string
		src  []byte
		want []string
	}{
		{"a key one space too far", with(14, "         min: 0"), []string{
			`t.yaml:14:10: "min:" is indented 9 spaces, further than the keys of "b" (line 12) at 8 spaces`,
			"check the indentation of lines 13–14", "(yaml: mapping values are not allowed in this context)"}},
		{"a key one space short", with(14, "       min: 0"), []string{
			`t.yaml:14:8: "min:" is indented 7 spaces, which fits no block above it: the keys of "b" (line 12) at 8, the items of "questions" (line 8) at 6, after "- "`,
			"check the indentation of lines 13–14"}},
		{"a key at its item's dash", with(15, "      label: B"), []string{
			`t.yaml:15:7: "label:" is indented 6 spaces, which fits no block above it: the keys of "b" (line 12) at 8`}},
		// yaml.v3 names line 1 here, where the top level begins.
		{"a top-level key indented at the end", with(22, " referrals:"), []string{
			`t.yaml:22:2: "referrals:" is indented 1 space, which fits no block above it:`, "top-level keys at 0",
			"check the indentation of lines 21–22"}},
		{"a list item one space too far", with(21, "       - value: y"), []string{
			`t.yaml:21:8: "- value:" is indented 7 spaces, which fits no block above it: the keys of the item (line 19) at 8, the items of "cases" (line 18) at 6, after "- "`}},
		{"a tab", with(14, "\tmin: 0"), []string{`t.yaml:14:1: "min:" is indented with a tab; YAML indents with spaces only`}},
		{"a colon in a value", with(15, "        label: B: more"), []string{
			`t.yaml:15:9: "label:": the value has ": " in it: put the value in quotes`}},
		{"a finding under another's cases", with(21, "      - value: y", "      - id: g", "        expr: a"), []string{
			`t.yaml:23:9: unknown key "expr" (in "g"): "expr" is a key of the items of "findings"; is "g" (line 22) indented under "cases" instead of "findings"?`}},
		{"a question's last key under its section", with(15, "    label: B"), []string{
			`t.yaml:15:5: unknown key "label" (in "s"): "label" is a key of the items of "questions"; is it indented less than the item it belongs to?`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := loadNoPanic(t, "t.yaml", c.src)
			if err == nil {
				t.Fatal("loaded, want problems")
			}
			for _, p := range err.(Problems) {
				if p.File != "t.yaml" || p.Line == 0 {
					t.Errorf("a problem without its file and line: %v", p)
				}
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("no problem %q in:\n%v", w, err)
				}
			}
		})
	}
}
