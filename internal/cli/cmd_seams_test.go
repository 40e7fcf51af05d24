package cli

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"fieldscreen/internal/sign"
	"fieldscreen/internal/store"
)

// These tests call each command through its seam (gh's runF): the
// command line gives the options, and the run function works on options
// built by hand, with an IO that is no terminal.

const seamPass = "purge test passphrase" // as runCLI's

// seamApp is an app on the store at db whose IO is buffers: no terminal.
func seamApp(db string) (a *app, out, errb *strings.Builder) {
	out, errb = &strings.Builder{}, &strings.Builder{}
	env := map[string]string{"FIELDSCREEN_DB": db, "FIELDSCREEN_PASSPHRASE": seamPass, "NO_COLOR": "1", "FIELDSCREEN_CONFIG": db + ".config.yaml"}
	a = &app{ctx: context.Background(), io: &IO{In: strings.NewReader(""), Out: out, Err: errb, Getenv: func(k string) string { return env[k] }}, version: "test"}
	return a, out, errb
}

// seamCmd is the cobra command a run function is given, with a context.
func seamCmd() *cobra.Command {
	c := &cobra.Command{Use: "fieldscreen"}
	c.SetContext(context.Background())
	return c
}

// parse runs the command made by mk on args and returns the options its
// runF was given; err is the command's error, when runF was not reached.
func parse[T any](t *testing.T, mk func(runF func(*T) error) *cobra.Command, args ...string) (*T, error) {
	t.Helper()
	var got *T
	c := mk(func(o *T) error { got = o; return nil })
	c.SetArgs(args)
	c.SetOut(io.Discard)
	c.SetErr(io.Discard)
	c.SilenceErrors, c.SilenceUsage = true, true
	err := c.ExecuteContext(context.Background())
	if err == nil && got == nil {
		t.Fatalf("%s %v: runF was not called", c.Name(), args)
	}
	return got, err
}

// seamStore is a store with n interviews recorded from the example
// answers, and their IDs.
func seamStore(t *testing.T, n int) (db string, ids []string) {
	t.Helper()
	db = filepath.Join(t.TempDir(), "s.db")
	for range n {
		if code, _, errs := runCLI(t, db, "interview", "--answers", exampleAnswer, "--interviewer", "T"); code != 0 {
			t.Fatalf("interview: exit %d\n%s", code, errs)
		}
	}
	a, _, _ := seamApp(db)
	st, err := a.openStore(false)
	if err != nil {
		t.Fatal(err)
	}
	defer a.forget()
	entries, err := st.List("")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		ids = append(ids, e.ID)
	}
	return db, ids
}

func TestListSeam(t *testing.T) {
	a, _, _ := seamApp("")
	o, err := parse(t, a.listCmd, "--status", "draft", "--format", "json", "--lang", "fr")
	if err != nil || o.status != "draft" || o.format != "json" || o.lang != "fr" {
		t.Fatalf("options %+v, %v", o, err)
	}
	if _, err := parse(t, a.listCmd, "--status", "lost"); err == nil || exitCode(err) != ExitUsage {
		t.Fatalf("a status not in the list: %v", err)
	}

	db, ids := seamStore(t, 2)
	a, out, _ := seamApp(db)
	defer a.forget()
	if err := runList(&listOptions{app: a, cmd: seamCmd(), format: "json"}); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if !strings.Contains(out.String(), `"interview_id": "`+id+`"`) {
			t.Errorf("list --format json lacks %s:\n%s", id, out)
		}
	}
	a, out, errb := seamApp(db)
	defer a.forget()
	if err := runList(&listOptions{app: a, cmd: seamCmd(), status: "draft", format: "table"}); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 || errb.String() != "No interviews.\n" {
		t.Errorf("no drafts: stdout %q, stderr %q", out, errb)
	}
}

func TestShowSeam(t *testing.T) {
	a, _, _ := seamApp("")
	o, err := parse(t, a.showCmd, "3e27485e", "--format", "markdown", "--lang", "es")
	if err != nil || !slices.Equal(o.args, []string{"3e27485e"}) || o.format != "markdown" || o.lang != "es" {
		t.Fatalf("options %+v, %v", o, err)
	}
	if _, err := parse(t, a.showCmd, "3e27485e", "--format", "pdf"); err == nil || !strings.Contains(err.Error(), "--format must be one of text, json, markdown") {
		t.Fatalf("a format not in the list: %v", err)
	}

	db, ids := seamStore(t, 1)
	a, out, _ := seamApp(db)
	defer a.forget()
	if err := runShow(&showOptions{app: a, args: []string{shortID(ids[0])}, format: "json"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), ids[0]) || !strings.Contains(out.String(), `"audit"`) {
		t.Errorf("show --format json:\n%s", out)
	}
}

func TestScoreSeam(t *testing.T) {
	a, _, _ := seamApp("")
	o, err := parse(t, a.scoreCmd, "--answers", exampleAnswer)
	if err != nil || o.format != "text" || !slices.Equal(o.answers, []string{exampleAnswer}) {
		t.Fatalf("answers alone: options %+v, %v", o, err)
	}
	o, err = parse(t, a.scoreCmd, "--all", "--status", "completed")
	if err != nil || o.format != "table" || !o.all || o.status != "completed" {
		t.Fatalf("--all: options %+v, %v", o, err)
	}
	if _, err := parse(t, a.scoreCmd); err == nil || !strings.Contains(err.Error(), "nothing to score") {
		t.Fatalf("nothing to score: %v", err)
	}

	a, out, _ := seamApp(filepath.Join(t.TempDir(), "none.db"))
	if err := a.runScore(seamCmd(), &scoreOpts{answers: []string{exampleAnswer}, format: "jsonl"}, nil); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "\n"); n != 1 || !strings.Contains(out.String(), `"outcome"`) {
		t.Errorf("score --format jsonl: %d lines\n%s", n, out)
	}
}

func TestExportImportVerifySeams(t *testing.T) {
	a, _, _ := seamApp("")
	o, err := parse(t, a.exportCmd, "--all", "-o", "b.json", "--purpose", "referral", "--plaintext", "--format", "json")
	if err != nil || !o.all || o.output != "b.json" || o.purpose != "referral" || !o.plaintext || o.format != "json" {
		t.Fatalf("export options %+v, %v", o, err)
	}
	if _, err := parse(t, a.exportCmd, "--all", "-o", "b", "--purpose", "p", "--plaintext", "--format", "xml"); err == nil || exitCode(err) != ExitUsage {
		t.Fatalf("export --format xml: %v", err)
	}
	io, err := parse(t, a.importCmd, "b.json", "--dry-run", "--accept-flow", "sha256:ab")
	if err != nil || !slices.Equal(io.args, []string{"b.json"}) || !io.dryRun || !slices.Equal(io.accept, []string{"sha256:ab"}) {
		t.Fatalf("import options %+v, %v", io, err)
	}
	vo, err := parse(t, a.verifyCmd, "b.age", "-i", "key.txt")
	if err != nil || !slices.Equal(vo.args, []string{"b.age"}) || vo.identity != "key.txt" {
		t.Fatalf("verify options %+v, %v", vo, err)
	}

	db, ids := seamStore(t, 2)
	bundlePath := filepath.Join(t.TempDir(), "b.json")
	a, _, errb := seamApp(db)
	eo := &exportOpts{all: true, output: bundlePath, purpose: "referral", plaintext: true, format: "json", cmd: seamCmd()}
	if err := a.runExport(eo.cmd, eo, nil); err != nil {
		t.Fatalf("export: %v\n%s", err, errb)
	}
	// The caseworker trusts the exporting store's signing key.
	pub := filepath.Join(t.TempDir(), "field.pub")
	k, err := sign.StoreKey(mustOpen(t, a))
	if err != nil || os.WriteFile(pub, k.PublicFile(), 0o600) != nil {
		t.Fatalf("signing key: %v", err)
	}
	a.forget()
	b, err := os.ReadFile(bundlePath)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if !strings.Contains(string(b), id) {
			t.Errorf("the bundle lacks %s", id)
		}
	}

	a, out, errb := seamApp("")
	if err := runVerify(&verifyOptions{app: a, cmd: seamCmd(), args: []string{bundlePath}, trust: []string{pub}}); err != nil {
		t.Fatalf("verify: %v\n%s", err, errb)
	}
	if !strings.Contains(out.String(), "screening") {
		t.Errorf("verify lists no flow:\n%s", out)
	}

	other := filepath.Join(t.TempDir(), "other.db")
	a, out, errb = seamApp(other)
	if err := runImport(&importOptions{app: a, cmd: seamCmd(), args: []string{bundlePath}, dryRun: true, trust: []string{pub}}); err != nil {
		t.Fatalf("import --dry-run: %v\n%s", err, errb)
	}
	a.forget()
	if _, err := os.Stat(other); !os.IsNotExist(err) {
		t.Errorf("a dry run made a store: %v", err)
	}
	if !strings.Contains(out.String()+errb.String(), "2") {
		t.Errorf("the dry run does not say what would be added:\n%s%s", out, errb)
	}
}

func TestPurgeSeam(t *testing.T) {
	a, _, _ := seamApp("")
	o, err := parse(t, a.purgeCmd, "--older-than", "1y", "--status", "exported", "--dry-run")
	if err != nil || o.older != "1y" || o.status != "exported" || !o.dryRun || o.yes {
		t.Fatalf("options %+v, %v", o, err)
	}

	db, _ := seamStore(t, 2)
	a, out, errb := seamApp(db)
	defer a.forget()
	if err := runPurge(&purgeOptions{app: a, age: retention{1, "d"}, dryRun: true}); err != nil {
		t.Fatalf("purge --dry-run: %v\n%s", err, errb)
	}
	// Both were recorded a moment ago: none is a day old.
	if out.Len() != 0 || errb.String() != "Nothing to purge.\n" {
		t.Errorf("purge --older-than 1d --dry-run:\nstdout %s\nstderr %s", out, errb)
	}
}

func TestFlowValidateSeam(t *testing.T) {
	a, _, _ := seamApp("")
	o, err := parse(t, a.flowValidateCmd, "--format", "json", "a.yaml", "b.yaml")
	if err != nil || o.format != "json" || !slices.Equal(o.args, []string{"a.yaml", "b.yaml"}) {
		t.Fatalf("options %+v, %v", o, err)
	}

	a, out, errb := seamApp("")
	if err := runFlowValidate(&flowValidateOptions{app: a, format: "json"}); err != nil {
		t.Fatalf("flow validate: %v\n%s", err, errb)
	}
	if !strings.Contains(out.String(), `"problems"`) && !strings.Contains(out.String(), `"valid"`) {
		t.Errorf("flow validate --format json (the built-in flow):\n%s", out)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("id: x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	a, _, _ = seamApp("")
	if err := runFlowValidate(&flowValidateOptions{app: a, args: []string{bad}, format: "text"}); err == nil || exitCode(err) != ExitInvalid {
		t.Errorf("a broken flow: %v (exit %d)", err, exitCode(err))
	}
}

// mustOpen opens the store a is set to.
func mustOpen(t *testing.T, a *app) *store.Store {
	t.Helper()
	st, err := a.openStore(false)
	if err != nil {
		t.Fatal(err)
	}
	return st
}
