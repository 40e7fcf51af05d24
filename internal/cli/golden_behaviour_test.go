package cli_test

// TestGoldenBehaviour pins what fieldscreen prints, stores and hands over
// today: summaries (text, markdown, JSON, in English, French and Spanish),
// scores (JSON, CSV, table), listings, plaintext and encrypted bundles, CSV
// exports, imports, bundle checks and the built-in flow's paper copy and
// fail-safe check. It runs a fixed corpus of commands through cli.Execute
// and compares every output byte for byte with the files in
// testdata/golden/arch, written from the code before a reshaping that must
// not change behaviour.
//
// Regenerate the files only for an intended change of behaviour, and say
// so in the commit:
//
//	go test ./internal/cli -run TestGoldenBehaviour -update
//
// A few values differ on every run, and only those are normalised before
// the comparison (see normaliser):
//   - the temporary directory, shown as $WORK;
//   - interview IDs made during the run (UUIDv7 whose time is the run's),
//     replaced by fixed IDs numbered in the order they were made, in full
//     and in their 8-character short form;
//   - times during the run (RFC 3339 and the "2006-01-02 15:04[:05] -07:00"
//     forms), replaced by one fixed instant in the same layout;
//   - SHA-256 digests of the files the run wrote (a bundle's digest in the
//     audit trail), shown as the file's name, and a bundle's
//     interviews_sha256, shown as a placeholder;
//   - how long a command took ("in 1.2s.").
//
// Interviews made by the synthetic generator have fixed IDs and times and
// are compared unnormalised. Stored records are compared by what can be
// read back (show, list, score and export of the store), since their
// ciphertext changes with every nonce. The test keeps its own helpers so
// that it does not depend on the package's internals.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"fieldscreen/internal/cli"
)

// The -update flag; another test of the package may declare it first.
//
// Local times are shown in one zone with a half-hour offset, whatever the
// machine's, so that the golden files are the same anywhere. time.Local is
// set here, before any test or goroutine starts (setting it in the test
// races with goroutines that read it); every command of the package reads
// the same zone, so no other test depends on the machine's.
func init() {
	time.Local = time.FixedZone("+0530", 5*3600+30*60)
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files (only for an intended change of behaviour)")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// goldenKey is a test-only age key pair: the identity decrypts the
// encrypted bundle the corpus writes.
const (
	goldenRecipient = "age1tym9m5nw32er7r75fah03h40t9kzuapkerdsa89plju64wxxafms2836se"
	goldenIdentity  = "# public key: age1tym9m5nw32er7r75fah03h40t9kzuapkerdsa89plju64wxxafms2836se\nAGE-SECRET-KEY-13D38XJYCTRE4RRNPTTWLNKJDTCCV4DJE37XZ35T22LNWGTVVRDKQK088EW\n"
)

// goldenStep is one command of the corpus and what it printed.
type goldenStep struct {
	name     string
	args     []string
	code     int
	out, err string
	files    []string // files the command wrote, compared as outputs too
}

type goldenRun struct {
	t     *testing.T
	work  string
	env   map[string]string
	steps []*goldenStep
	start time.Time
	// testdata is the repository's testdata folder: the scenarios and,
	// in golden/arch, the golden files.
	testdata string
}

func (g *goldenRun) run(name string, args ...string) *goldenStep {
	g.t.Helper()
	return g.runEnv(name, nil, args...)
}

func (g *goldenRun) runEnv(name string, env map[string]string, args ...string) *goldenStep {
	g.t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		return g.env[k]
	}
	began := time.Now()
	code := cli.Execute(context.Background(), "golden", args, &cli.IO{In: strings.NewReader(""), Out: &out, Err: &errb, Getenv: getenv})
	s := &goldenStep{name: name, args: args, code: code, out: out.String(), err: errb.String()}
	g.steps = append(g.steps, s)
	g.t.Logf("%s: %s", name, time.Since(began).Round(time.Millisecond))
	return s
}

// must fails the test when the step did not succeed: the corpus is built
// from commands that work today.
func (s *goldenStep) must(t *testing.T) *goldenStep {
	t.Helper()
	if s.code != 0 {
		t.Fatalf("%s: fieldscreen %s: exit %d\n%s", s.name, strings.Join(s.args, " "), s.code, s.err)
	}
	return s
}

// write writes a file in the work directory and returns its name there.
func (g *goldenRun) write(name, content string) string {
	g.t.Helper()
	p := filepath.Join(g.work, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		g.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		g.t.Fatal(err)
	}
	return name
}

// copyFile copies src into the work directory as name, and returns name.
func (g *goldenRun) copyFile(src, name string) string {
	g.t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		g.t.Fatal(err)
	}
	g.write(name, string(b))
	return name
}

func (g *goldenRun) copyScenario(name string) string {
	g.t.Helper()
	return g.copyFile(filepath.Join(g.testdata, "scenarios", "2.0.0", name), filepath.Join("in", name))
}

var uuidRe = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// madeID returns the interview ID a command reported (the last one in its
// messages).
func (s *goldenStep) madeID(t *testing.T) string {
	t.Helper()
	ids := uuidRe.FindAllString(s.err+s.out, -1)
	if len(ids) == 0 {
		t.Fatalf("%s: no interview ID in\n%s%s", s.name, s.out, s.err)
	}
	return ids[len(ids)-1]
}

func TestGoldenBehaviour(t *testing.T) {
	// Commands run in the work directory and name files relative to it,
	// so that no output depends on where the temporary directory is.
	testdata, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	t.Chdir(work)
	g := &goldenRun{t: t, work: work, testdata: testdata, start: time.Now(), env: map[string]string{
		"FIELDSCREEN_DB":         filepath.Join("field", "interviews.db"),
		"FIELDSCREEN_PASSPHRASE": "golden behaviour passphrase",
		"FIELDSCREEN_CONFIG":     filepath.Join(work, "config.yaml"),
		"NO_COLOR":               "1",
	}}
	g.write("key.txt", goldenIdentity)
	key := "key.txt"
	if err := os.MkdirAll(filepath.Join(work, "out"), 0o700); err != nil {
		t.Fatal(err)
	}
	caseworker := map[string]string{"FIELDSCREEN_DB": filepath.Join("caseworker", "interviews.db")}

	// The corpus: synthetic interviews from a fixed seed, and interviews
	// recorded from answers files through the interview command.
	g.run("generate", "dev", "generate", "--count", "6", "--seed", "7").must(t)
	adult := g.copyScenario("trafficked_at_15_now_22.yaml")
	child := g.copyScenario("child_cannabis_farm_detained.yaml")
	refused := g.copyScenario("consent_refused.yaml")
	camp := g.copyScenario("camp_woman_fears_recruiters.yaml")
	idAdult := g.run("interview-adult", "interview", "--answers", adult, "--interviewer", "G. Golden", "--location", "LOC-07").must(t).madeID(t)
	idChild := g.run("interview-child-es", "interview", "--answers", child, "--lang", "es").must(t).madeID(t)
	idRefused := g.run("interview-refused", "interview", "--answers", refused).must(t).madeID(t)
	idCamp := g.run("interview-camp-fr", "interview", "--answers", camp, "--lang", "fr").must(t).madeID(t)

	list := g.run("list-json", "list", "--format", "json").must(t)
	var listed []struct {
		ID string `json:"interview_id"`
	}
	if err := json.Unmarshal([]byte(list.out), &listed); err != nil {
		t.Fatal(err)
	}
	var synthetic []string
	for _, l := range listed {
		if !slices.Contains([]string{idAdult, idChild, idRefused, idCamp}, l.ID) {
			synthetic = append(synthetic, l.ID)
		}
	}
	if len(synthetic) != 6 {
		t.Fatalf("want 6 synthetic interviews listed, got %d", len(synthetic))
	}
	g.run("list", "list").must(t)
	g.run("list-fr", "list", "--lang", "fr").must(t)
	// The store's signing public key, which the caseworker trusts. It is
	// random, so its step is not one of the compared ones.
	pub := g.run("key-signing", "key", "signing").must(t)
	g.steps = g.steps[:len(g.steps)-1]
	g.write("field.pub", pub.out)

	for _, c := range []struct{ name, id string }{
		{"adult", idAdult}, {"child-es", idChild}, {"refused", idRefused}, {"camp-fr", idCamp},
	} {
		g.run("show-"+c.name, "show", c.id).must(t)
		g.run("show-"+c.name+"-markdown", "show", c.id, "--format", "markdown").must(t)
		g.run("show-"+c.name+"-json", "show", c.id, "--format", "json").must(t)
	}
	g.run("show-synthetic-0", "show", synthetic[0]).must(t)
	g.run("show-synthetic-3-json", "show", synthetic[3], "--format", "json").must(t)
	g.run("show-short-id", "show", idAdult[len(idAdult)-8:], "--format", "json").must(t)

	answers := []string{adult, child, refused, camp}
	for _, f := range []string{"json", "csv", "table", "text"} {
		args := []string{"score", "--format", f}
		for _, a := range answers {
			args = append(args, "--answers", a)
		}
		g.run("score-answers-"+f, args...).must(t)
	}
	// Every 2.0.0 scenario, scored from its answers file: the summaries
	// in JSON, and a few as text in French and Spanish with a referral
	// directory.
	entries, err := os.ReadDir(filepath.Join(testdata, "scenarios", "2.0.0"))
	if err != nil {
		t.Fatal(err)
	}
	all := []string{"score", "--format", "json"}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".yaml") {
			all = append(all, "--answers", g.copyScenario(e.Name()))
		}
	}
	g.run("score-scenarios-json", all...).must(t)
	dir := g.copyFile(filepath.Join(testdata, "examples", "referral-directory.yaml"), "referral-directory.yaml")
	few := []string{"--answers", child, "--answers", g.copyScenario("recent_sexual_violence_in_transit.yaml"), "--answers", g.copyScenario("former_child_soldier_age_unknown.yaml")}
	g.run("score-scenarios-text-fr", append([]string{"score", "--lang", "fr"}, few...)...).must(t)
	g.run("score-scenarios-text-es-referrals", append([]string{"score", "--lang", "es", "--referrals", dir}, few...)...).must(t)
	g.run("score-scenarios-table-es", append([]string{"score", "--lang", "es", "--format", "table"}, few...)...).must(t)

	g.run("score-store-json", "score", "--all", "--format", "json").must(t)
	g.run("score-store-csv", "score", "--all", "--format", "csv").must(t)
	g.run("score-store-table", "score", "--all", "--format", "table").must(t)
	g.run("score-ids-jsonl", "score", idChild, synthetic[1], "--format", "jsonl").must(t)

	// Bundles: plaintext JSON, CSV and one encrypted to a recipient, read
	// back decrypted; then the plaintext one imported into a second store.
	plain := filepath.Join("out", "bundle.json")
	s := g.run("export-plaintext", "export", "--all", "--plaintext", "-o", plain, "--purpose", "golden corpus", "--interviewer", "G. Golden").must(t)
	s.files = append(s.files, plain)
	csv := filepath.Join("out", "stats.csv")
	s = g.run("export-csv", "export", "--all", "--format", "csv", "--plaintext", "-o", csv, "--purpose", "statistics").must(t)
	s.files = append(s.files, csv)
	g.run("verify-plaintext", "verify", plain, "--trust", "field.pub").must(t)
	g.run("score-bundle-csv", "score", "--from", plain, "--format", "csv").must(t)
	enc := filepath.Join("out", "handover.age")
	s = g.run("export-encrypted", "export", "--status", "completed", "-o", enc, "--purpose", "referral to legal aid", "-r", goldenRecipient).must(t)
	s.files = append(s.files, enc)
	g.run("verify-encrypted", "verify", enc, "--identity", key, "--trust", "field.pub").must(t)
	g.run("score-encrypted-json", "score", "--from", enc, "--identity", key, "--format", "json").must(t)
	g.run("list-after-export", "list").must(t)
	g.run("show-adult-after-export", "show", idAdult).must(t)
	g.run("show-child-es-referrals-markdown", "show", idChild, "--referrals", dir, "--format", "markdown").must(t)

	// A correction after the handover: answers it removes need --yes
	// without a terminal; the interview is marked in list and show, and
	// the next export carries the correction.
	b, err := os.ReadFile(adult)
	if err != nil {
		t.Fatal(err)
	}
	corrected := strings.NewReplacer(`immediate_danger: "no"`, `immediate_danger: "yes"`, `ever_exploited: "yes"`, `ever_exploited: "no"`).Replace(string(b))
	correction := g.write(filepath.Join("in", "corrected.yaml"), corrected)
	g.run("amend-without-yes", "amend", idAdult, "--answers", correction, "--reason", "the person corrected two answers")
	g.run("amend", "amend", idAdult, "--answers", correction, "--reason", "the person corrected two answers", "--yes").must(t)
	g.run("amend-unchanged", "amend", idCamp, "--answers", camp, "--reason", "read back, nothing changed").must(t)
	b, err = os.ReadFile(camp)
	if err != nil {
		t.Fatal(err)
	}
	private := g.write(filepath.Join("in", "camp-not-private.yaml"), strings.Replace(string(b), `interview_private: "yes"`, `interview_private: "no"`, 1))
	g.run("amend-camp-fr-json", "amend", idCamp, "--answers", private, "--reason", "others could hear", "--format", "json").must(t)
	g.run("list-after-amend", "list").must(t)
	g.run("show-adult-amended", "show", idAdult).must(t)
	g.run("show-adult-amended-json", "show", idAdult, "--format", "json").must(t)
	amended := filepath.Join("out", "amended.json")
	s = g.run("export-after-amend", "export", idAdult, "--plaintext", "-o", amended, "--purpose", "the corrected version").must(t)
	s.files = append(s.files, amended)

	g.runEnv("import-plaintext", caseworker, "import", plain, "--trust", "field.pub").must(t)
	g.runEnv("import-encrypted", caseworker, "import", enc, "--identity", key, "--trust", "field.pub")
	g.runEnv("caseworker-list-json", caseworker, "list", "--format", "json").must(t)
	g.runEnv("caseworker-show-camp-fr", caseworker, "show", idCamp).must(t)
	g.runEnv("caseworker-show-synthetic-0-json", caseworker, "show", synthetic[0], "--format", "json").must(t)
	again := filepath.Join("out", "caseworker.json")
	s = g.runEnv("caseworker-export", caseworker, "export", "--all", "--plaintext", "-o", again, "--purpose", "archive").must(t)
	s.files = append(s.files, again)

	// The built-in flow.
	g.run("flow-print", "flow", "print").must(t)
	g.run("flow-print-markdown-es", "flow", "print", "--format", "markdown", "--lang", "es")
	g.run("flow-check-fail-safe", "flow", "check", "--fail-safe", "--samples", "20", "--seed", "5").must(t)
	g.run("flow-check-fail-safe-json", "flow", "check", "--fail-safe", "--samples", "20", "--seed", "5", "--format", "json").must(t)

	g.compare()
}

// compare normalises every step's output and compares it with its golden
// file (or writes the files with -update).
func (g *goldenRun) compare() {
	t := g.t
	norm := g.normaliser()
	goldenDir := filepath.Join(g.testdata, "golden", "arch")
	want := map[string]bool{}
	for _, s := range g.steps {
		name := s.name + ".txt"
		if want[name] {
			t.Fatalf("two steps named %s", s.name)
		}
		want[name] = true
		var b strings.Builder
		fmt.Fprintf(&b, "$ fieldscreen %s\nexit %d\n-- stdout --\n%s\n-- stderr --\n%s\n", strings.Join(s.args, " "), s.code, s.out, s.err)
		for _, f := range s.files {
			c, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(f, ".age") {
				fmt.Fprintf(&b, "-- file %s --\n(encrypted, %s)\n", f, ageHeader(c))
				c = decryptBundle(t, c)
				f += ", decrypted"
			}
			fmt.Fprintf(&b, "-- file %s --\n%s\n", f, c)
		}
		got := norm(b.String())
		path := filepath.Join(goldenDir, name)
		if updating() {
			if err := os.MkdirAll(goldenDir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		old, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v (run with -update to write it, for a new step only)", name, err)
			continue
		}
		if string(old) != got {
			t.Errorf("%s differs from the golden file (- golden, + now):\n%s", name, lineDiff(string(old), got))
		}
	}
	if updating() {
		entries, _ := os.ReadDir(goldenDir)
		for _, e := range entries {
			if !want[e.Name()] {
				os.Remove(filepath.Join(goldenDir, e.Name()))
			}
		}
		return
	}
	entries, err := os.ReadDir(goldenDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !want[e.Name()] {
			t.Errorf("%s: a golden file no step wrote", e.Name())
		}
	}
}

// decryptBundle opens an encrypted bundle with the test identity.
func decryptBundle(t *testing.T, c []byte) []byte {
	t.Helper()
	ids, err := age.ParseIdentities(strings.NewReader(goldenIdentity))
	if err != nil {
		t.Fatal(err)
	}
	r, err := age.Decrypt(bytes.NewReader(c), ids...)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return plain
}

// ageHeader describes an encrypted bundle without its random bytes: the
// age header's first line and how many recipient stanzas it has.
func ageHeader(c []byte) string {
	lines := strings.Split(string(c), "\n")
	n := 0
	for _, l := range lines {
		if strings.HasPrefix(l, "-> ") {
			n++
		}
		if strings.HasPrefix(l, "---") {
			break
		}
	}
	return fmt.Sprintf("%s, %d recipient stanza(s)", lines[0], n)
}

var (
	rfc3339Re = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)`)
	localRe   = regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? ([+-]\d\d:\d\d|UTC)`)
	tookRe    = regexp.MustCompile(` in (\d+h)?(\d+m)?\d+(\.\d+)?(ns|µs|ms|s)\.`)
	// A store's signing key is random: its ID (minisign's 16 upper-case
	// hex digits) and its public key line.
	keyIDRe  = regexp.MustCompile(`\b[0-9A-F]{16}\b`)
	pubKeyRe = regexp.MustCompile(`\bRW[A-Za-z0-9+/]{54}\b`)
	isSHARe  = regexp.MustCompile(`"interviews_sha256": *"([0-9a-f]{64})"`)
)

// normaliser returns the function that replaces the values that differ on
// every run (see the comment at the top of the file).
func (g *goldenRun) normaliser() func(string) string {
	end := time.Now()
	// during reports whether [tm, tm+width) overlaps the run (a time
	// shown to the minute or second, or a UUIDv7's millisecond).
	during := func(tm time.Time, width time.Duration) bool {
		return tm.Add(width).After(g.start.Add(-2*time.Second)) && !tm.After(end.Add(2*time.Second))
	}
	fixed := time.Date(2000, 1, 2, 3, 4, 5, 0, time.UTC)

	// IDs made during the run, in the order they were made (UUIDv7 sort
	// by time).
	var all strings.Builder
	for _, s := range g.steps {
		all.WriteString(strings.Join(s.args, " ") + s.out + s.err)
		for _, f := range s.files {
			c, _ := os.ReadFile(f)
			all.Write(c)
		}
	}
	var made []string
	for _, id := range uuidRe.FindAllString(all.String(), -1) {
		if id[14] != '7' || slices.Contains(made, id) {
			continue
		}
		ms, err := hexInt(strings.ReplaceAll(id[:13], "-", ""))
		if err != nil || !during(time.UnixMilli(ms), time.Millisecond) {
			continue
		}
		made = append(made, id)
	}
	slices.Sort(made)
	var pairs []string
	for i, id := range made {
		fake := fmt.Sprintf("00000000-0000-7000-8000-%012d", i+1)
		pairs = append(pairs, id, fake)
	}
	for i, id := range made {
		fake := fmt.Sprintf("%08d", i+1)
		pairs = append(pairs, id[len(id)-8:], fake)
	}
	// Digests of the files written, and bundles' interviews_sha256.
	for _, s := range g.steps {
		for _, f := range s.files {
			c, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			sum := sha256.Sum256(c)
			pairs = append(pairs, hex.EncodeToString(sum[:]), "<sha256 of "+filepath.Base(f)+">")
			if strings.HasSuffix(f, ".age") {
				c = decryptBundle(g.t, c)
				sum := sha256.Sum256(c)
				pairs = append(pairs, hex.EncodeToString(sum[:]), "<sha256 of "+filepath.Base(f)+", decrypted>")
			}
			for _, m := range isSHARe.FindAllStringSubmatch(string(c), -1) {
				pairs = append(pairs, m[1], "<interviews_sha256 of "+filepath.Base(f)+">")
			}
		}
	}
	pairs = append(pairs, g.work, "$WORK")
	ids := strings.NewReplacer(pairs...)

	return func(s string) string {
		s = ids.Replace(s)
		s = rfc3339Re.ReplaceAllStringFunc(s, func(m string) string {
			tm, err := time.Parse(time.RFC3339Nano, m)
			if err != nil || !during(tm, time.Second) {
				return m
			}
			return fixed.Format(time.RFC3339)
		})
		s = localRe.ReplaceAllStringFunc(s, func(m string) string {
			layout, width, zone := "2006-01-02 15:04", time.Minute, time.Local
			if m[16] == ':' {
				layout, width = "2006-01-02 15:04:05", time.Second
			}
			if strings.HasSuffix(m, "UTC") {
				layout, zone = layout+" MST", time.UTC
			} else {
				layout += " -07:00"
			}
			tm, err := time.Parse(layout, m)
			if err != nil || !during(tm, width) {
				return m
			}
			return fixed.In(zone).Format(layout)
		})
		s = keyIDRe.ReplaceAllString(s, "<key id>")
		s = pubKeyRe.ReplaceAllString(s, "<public key>")
		return tookRe.ReplaceAllString(s, " in <duration>.")
	}
}

func hexInt(s string) (int64, error) {
	var n int64
	_, err := fmt.Sscanf(s, "%x", &n)
	return n, err
}

// lineDiff shows the lines that differ between a and b with a little
// context, in the style of a unified diff.
func lineDiff(a, b string) string {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	// Only the middle that differs is compared line by line.
	pre := 0
	for pre < len(x) && pre < len(y) && x[pre] == y[pre] {
		pre++
	}
	pre = max(pre-3, 0)
	suf := 0
	for suf < len(x)-pre && suf < len(y)-pre && x[len(x)-1-suf] == y[len(y)-1-suf] {
		suf++
	}
	suf = max(suf-3, 0)
	x, y = x[pre:len(x)-suf], y[pre:len(y)-suf]
	if len(x)*len(y) > 4_000_000 {
		x, y = x[:min(len(x), 2000)], y[:min(len(y), 2000)]
	}
	head := fmt.Sprintf("@@ line %d\n", pre+1)
	// Longest common subsequence on lines; the files are small.
	n, m := len(x), len(y)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type line struct {
		op   byte
		text string
	}
	var ops []line
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && x[i] == y[j]:
			ops = append(ops, line{' ', x[i]})
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			ops = append(ops, line{'+', y[j]})
			j++
		default:
			ops = append(ops, line{'-', x[i]})
			i++
		}
	}
	const context = 3
	var out strings.Builder
	out.WriteString(head)
	last := -1
	for k, o := range ops {
		if o.op == ' ' {
			continue
		}
		from := max(k-context, last+1)
		if last >= 0 && from > last+1 {
			out.WriteString("@@\n")
		}
		for c := from; c < k; c++ {
			fmt.Fprintf(&out, " %s\n", ops[c].text)
		}
		fmt.Fprintf(&out, "%c%s\n", o.op, o.text)
		last = k
		// trailing context is written as the next changes' leading context
		// or below.
		if k+1 == len(ops) || ops[k+1].op == ' ' {
			end := min(k+context, len(ops)-1)
			for c := k + 1; c <= end && ops[c].op == ' '; c++ {
				fmt.Fprintf(&out, " %s\n", ops[c].text)
				last = c
			}
		}
	}
	return out.String()
}
