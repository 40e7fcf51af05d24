package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Seam tests for interview, amend, delete, check, compact, report, dev,
// version and man: see cmd_seams_test.go.

func TestInterviewAmendSeams(t *testing.T) {
	a, _, _ := seamApp("")
	o, err := parse(t, a.interviewCmd, "--answers", exampleAnswer, "--interviewer", "T", "--location", "L1", "--lang", "fr", "--format", "json", "--accessible")
	if err != nil || o.answers != exampleAnswer || o.interviewer != "T" || o.location != "L1" || o.lang != "fr" || o.format != "json" || !o.accessible || o.cmd == nil {
		t.Fatalf("interview options %+v, %v", o, err)
	}
	if o, err = parse(t, a.interviewCmd, "--resume", "3e27", "--flow", "f.yaml", "--yes"); err != nil || o.resume != "3e27" || o.flowPath != "f.yaml" || !o.yes {
		t.Fatalf("interview --resume options %+v, %v", o, err)
	}
	if _, err := parse(t, a.interviewCmd, "--format", "xml"); err == nil || exitCode(err) != ExitUsage {
		t.Fatalf("interview --format xml: %v", err)
	}
	ao, err := parse(t, a.amendCmd, "3e27", "--reason", "age said again", "--answers", "c.yaml", "--interviewer", "S", "--yes", "--format", "json")
	if err != nil || !slices.Equal(ao.args, []string{"3e27"}) || ao.reason != "age said again" || ao.answers != "c.yaml" || ao.interviewer != "S" || !ao.yes || ao.format != "json" {
		t.Fatalf("amend options %+v, %v", ao, err)
	}
	if _, err := parse(t, a.amendCmd, "3e27", "--reason", " "); err == nil || !strings.Contains(err.Error(), "--reason is required") {
		t.Fatalf("amend without a reason: %v", err)
	}

	db := filepath.Join(t.TempDir(), "s.db")
	a, out, errb := seamApp(db)
	defer a.forget()
	if err := runInterview(&interviewOptions{app: a, cmd: seamCmd(), answers: exampleAnswer, interviewer: "T", format: "json"}); err != nil {
		t.Fatalf("interview --answers: %v\n%s", err, errb)
	}
	if !strings.Contains(out.String(), `"outcome"`) {
		t.Errorf("interview --answers --format json:\n%.300s", out)
	}
	if err := runAmend(&amendOptions{app: a, cmd: seamCmd(), args: []string{"ffffffff"}, reason: "r", answers: exampleAnswer, format: "text"}); err == nil {
		t.Error("amend of an interview that does not exist: no error")
	}
}

func TestStoreMaintenanceSeams(t *testing.T) {
	a, _, _ := seamApp("")
	do, err := parse(t, a.deleteCmd, "3e27", "91fd", "--yes")
	if err != nil || !slices.Equal(do.args, []string{"3e27", "91fd"}) || !do.yes {
		t.Fatalf("delete options %+v, %v", do, err)
	}
	if _, err := parse(t, a.deleteCmd); err == nil {
		t.Fatal("delete without an ID: no error")
	}
	if _, err := parse(t, a.checkCmd); err != nil {
		t.Fatal(err)
	}
	if _, err := parse(t, a.compactCmd); err != nil {
		t.Fatal(err)
	}
	if _, err := parse(t, a.devReadCmd); err != nil {
		t.Fatal(err)
	}

	db, ids := seamStore(t, 2)
	a, out, errb := seamApp(db)
	if err := runCheck(&checkOptions{app: a}); err != nil || out.String() != db+": ok\n" {
		t.Fatalf("check: %v %q %s", err, out, errb)
	}
	out.Reset()
	if err := runDevRead(&devReadOptions{app: a, cmd: seamCmd()}); err != nil || out.String() != "2 interviews\n" {
		t.Fatalf("dev read: %v %q", err, out)
	}
	if err := runDelete(&deleteOptions{app: a, args: []string{shortID(ids[0])}, yes: true}); err != nil || !strings.Contains(errb.String(), "Erased "+shortID(ids[0])) {
		t.Fatalf("delete --yes: %v\n%s", err, errb)
	}
	errb.Reset()
	if err := runCompact(&compactOptions{app: a}); err != nil || !strings.HasPrefix(errb.String(), "Compacted "+db) {
		t.Fatalf("compact: %v\n%s", err, errb)
	}
	out.Reset()
	if err := runDevRead(&devReadOptions{app: a, cmd: seamCmd()}); err != nil || out.String() != "1 interviews\n" {
		t.Errorf("dev read after delete: %v %q", err, out)
	}
	a.forget()
}

func TestReportDevVersionManSeams(t *testing.T) {
	a, _, _ := seamApp("")
	ro, err := parse(t, a.reportCmd, "--answers", exampleAnswer, "--by", "location,month", "--format", "json", "--k", "5", "--internal", "--lang", "es")
	if err != nil || !slices.Equal(ro.answers, []string{exampleAnswer}) || !slices.Equal(ro.by, []string{"location", "month"}) || ro.format != "json" || ro.k != 5 || !ro.internal || ro.lang != "es" {
		t.Fatalf("report options %+v, %v", ro, err)
	}
	if _, err := parse(t, a.reportCmd, "--k", "5"); err == nil || exitCode(err) != ExitUsage {
		t.Fatalf("report --k 5 without --internal: %v", err)
	}
	gen, err := parse(t, a.devGenerateCmd, "--count", "3", "--seed", "2", "--bundle", "b.json", "--flow", "f.yaml", "--batch", "10")
	if err != nil || gen.count != 3 || gen.seed != 2 || gen.bundlePath != "b.json" || gen.flowPath != "f.yaml" || gen.batch != 10 {
		t.Fatalf("dev generate options %+v, %v", gen, err)
	}
	if _, err := parse(t, a.versionCmd); err != nil {
		t.Fatal(err)
	}
	mo, err := parse(t, a.manCmd, "man")
	if err != nil || !slices.Equal(mo.args, []string{"man"}) {
		t.Fatalf("man options %+v, %v", mo, err)
	}

	a, out, errb := seamApp("")
	if err := runReport(&reportOptions{app: a, cmd: seamCmd(), answers: []string{exampleAnswer}, format: "json", k: 11}); err != nil || !strings.Contains(out.String(), "{") {
		t.Errorf("report --answers --format json: %v\n%.300s%s", err, out, errb)
	}
	out.Reset()
	if err := runVersion(&versionOptions{app: a}); err != nil || out.String() != "fieldscreen test\n" {
		t.Errorf("version: %v %q", err, out)
	}
	b := filepath.Join(t.TempDir(), "b.json")
	if err := runDevGenerate(&devGenerateOptions{app: a, cmd: seamCmd(), count: 1, seed: 1, bundlePath: b, batch: 10}); err != nil || !strings.Contains(errb.String(), "Wrote 1 synthetic interview(s) to "+b) {
		t.Errorf("dev generate --bundle: %v\n%s", err, errb)
	}
	if err := runDevGenerate(&devGenerateOptions{app: a, cmd: seamCmd(), count: 0}); err == nil || exitCode(err) != ExitUsage {
		t.Errorf("dev generate --count 0: %v", err)
	}
	dir := filepath.Join(t.TempDir(), "man")
	if err := runMan(&manOptions{app: a, cmd: seamCmd(), args: []string{dir}}); err != nil {
		t.Fatalf("man: %v", err)
	}
	if page, err := os.ReadFile(filepath.Join(dir, "fieldscreen.1")); err != nil || !strings.Contains(string(page), ".SH EXIT STATUS") {
		t.Errorf("man: fieldscreen.1 %v\n%.300s", err, page)
	}
}
