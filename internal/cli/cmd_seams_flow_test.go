package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Seam tests for the flow commands: see cmd_seams_test.go.

func TestFlowSeams(t *testing.T) {
	a, _, _ := seamApp("")
	po, err := parse(t, a.flowPrintCmd, "my.yaml", "--format", "markdown", "--lang", "fr")
	if err != nil || !slices.Equal(po.args, []string{"my.yaml"}) || po.format != "markdown" || po.lang != "fr" {
		t.Fatalf("flow print options %+v, %v", po, err)
	}
	if _, err := parse(t, a.flowPrintCmd, "--format", "pdf"); err == nil || exitCode(err) != ExitUsage {
		t.Fatalf("flow print --format pdf: %v", err)
	}
	so, err := parse(t, a.flowSourceCmd, "--version", "1.0.0")
	if err != nil || so.version != "1.0.0" {
		t.Fatalf("flow source options %+v, %v", so, err)
	}
	if _, err := parse(t, a.flowSchemaCmd); err != nil {
		t.Fatal(err)
	}
	co, err := parse(t, a.flowCheckCmd, "--fail-safe", "--samples", "7", "--seed", "3", "--lang", "es", "--format", "json", "--write-counterexample", "cx.yaml", "--all", "f.yaml")
	if err != nil || !co.failSafe || co.samples != 7 || co.seed != 3 || co.lang != "es" || co.format != "json" || co.writeCX != "cx.yaml" || !co.all || !slices.Equal(co.args, []string{"f.yaml"}) {
		t.Fatalf("flow check options %+v, %v", co, err)
	}
	if _, err := parse(t, a.flowCheckCmd, "--samples", "-1"); err == nil || exitCode(err) != ExitUsage {
		t.Fatalf("flow check --samples -1: %v", err)
	}
	do, err := parse(t, a.flowDiffCmd, "builtin:1.0.0", "builtin", "--no-texts", "--exit-code", "--format", "json")
	if err != nil || !slices.Equal(do.args, []string{"builtin:1.0.0", "builtin"}) || !do.noTexts || !do.exitCode || do.format != "json" {
		t.Fatalf("flow diff options %+v, %v", do, err)
	}
	io, err := parse(t, a.flowImportCmd, "form.xlsx", "-o", "f.yaml", "--format", "json")
	if err != nil || io.form != "form.xlsx" || io.output != "f.yaml" || io.format != "json" {
		t.Fatalf("flow import options %+v, %v", io, err)
	}
	to, err := parse(t, a.flowTestCmd, "--flow", "f.yaml", "--run", "^child", "--coverage", "--min-coverage", "50", "-v", "c1.yaml", "c2.yaml")
	if err != nil || to.flowPath != "f.yaml" || to.runRE == nil || !to.runRE.MatchString("child_x") || !to.coverage || to.minCoverage != 50 || !to.verbose || !slices.Equal(to.cases, []string{"c1.yaml", "c2.yaml"}) {
		t.Fatalf("flow test options %+v, %v", to, err)
	}
	if _, err := parse(t, a.flowTestCmd, "--run", "("); err == nil || exitCode(err) != ExitUsage {
		t.Fatalf("flow test --run '(': %v", err)
	}
	if _, err := parse(t, a.flowTestCmd, "-o", "x.yaml"); err == nil || !strings.Contains(err.Error(), "-o goes with --new-case-from") {
		t.Fatalf("flow test -o alone: %v", err)
	}

	a, out, _ := seamApp("")
	if err := runFlowSchema(&flowSchemaOptions{app: a}); err != nil || !strings.Contains(out.String(), `"$schema"`) {
		t.Errorf("flow schema: %v\n%.200s", err, out)
	}
	out.Reset()
	if err := runFlowSource(&flowSourceOptions{app: a}); err != nil || !strings.Contains(out.String(), "questions") {
		t.Errorf("flow source: %v\n%.200s", err, out)
	}
	if err := runFlowSource(&flowSourceOptions{app: a, version: "0.0.1"}); err == nil || exitCode(err) != ExitUsage || !strings.Contains(err.Error(), `no version "0.0.1"`) {
		t.Errorf("flow source --version 0.0.1: %v", err)
	}
	out.Reset()
	if err := runFlowPrint(&flowPrintOptions{app: a, format: "markdown"}); err != nil || !strings.HasPrefix(out.String(), "#") {
		t.Errorf("flow print --format markdown: %v\n%.200s", err, out)
	}
	out.Reset()
	if err := runFlowDiff(&flowDiffOptions{app: a, args: []string{"builtin", "builtin"}, format: "text", exitCode: true}); err != nil || !strings.Contains(out.String(), "the same file") {
		t.Errorf("flow diff builtin builtin: %v\n%s", err, out)
	}
	out.Reset()
	if err := runFlowCheck(&flowCheckOptions{app: a, samples: 20, seed: 1, format: "json"}); err != nil || !strings.Contains(out.String(), "{") {
		t.Errorf("flow check (the built-in flow): %v\n%.300s", err, out)
	}
	out.Reset()
	answers := filepath.Join(t.TempDir(), "case.yaml")
	if err := runFlowTest(&flowTestOptions{app: a, newCaseFrom: exampleAnswer, output: answers}); err != nil {
		t.Fatalf("flow test --new-case-from: %v", err)
	}
	if b, err := os.ReadFile(answers); err != nil || !strings.Contains(string(b), "expect:") {
		t.Errorf("the new case: %v\n%s", err, b)
	}
	if err := runFlowImport(&flowImportOptions{app: a, form: filepath.Join(t.TempDir(), "none.xlsx"), format: "text"}); err == nil || !strings.Contains(err.Error(), "cannot read") {
		t.Errorf("flow import of no file: %v", err)
	}
}
