// Package internal_test checks the layering docs/architecture.md states:
// what each package may import, and that only the CLI speaks to the
// terminal and ends the process.
package internal_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "fieldscreen"

// root is the module's folder, from internal/.
var root = ".."

// TestQuestionnaireImportsNothingInternal: the flow language and scoring
// stand alone (a flow author's tools and other programs may import them),
// so nothing under fieldscreen/internal may be among their dependencies.
func TestQuestionnaireImportsNothingInternal(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", module+"/questionnaire/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if strings.HasPrefix(p, module+"/internal/") {
			t.Errorf("questionnaire depends on %s", p)
		}
	}
}

// speaks lists what only the CLI (internal/cli and cmd/fieldscreen) may
// use: a package below it returns errors and writes to the writers it is
// given, so that tests run it without a terminal and the CLI alone says
// what a person reads and how the process ends.
var speaks = map[string]map[string]bool{
	"os":  {"Stdout": true, "Stderr": true, "Exit": true},
	"fmt": {"Print": true, "Printf": true, "Println": true},
	"log": nil, // all of it
}

// TestNothingBelowCLIPrintsOrExits scans the source (tests and the
// terminal test's demo programs aside) for os.Stdout, os.Stderr, os.Exit,
// fmt.Print*, the log package and the print builtins.
func TestNothingBelowCLIPrintsOrExits(t *testing.T) {
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			name := d.Name()
			if rel != "." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor" ||
				rel == "cmd" || rel == "internal/cli" || testOnly[rel]) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		checked++
		for _, use := range terminalUses(f) {
			t.Errorf("%s:%d: %s: only internal/cli speaks to the terminal or ends the process; return an error or write to a writer given", rel, fset.Position(use.pos).Line, use.what)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Fatalf("only %d files checked: is %s the module's folder?", checked, root)
	}
}

// testOnly are packages only tests import: they may tell the person
// running the tests what they do.
var testOnly = map[string]bool{
	"internal/termtest": true, // drives a binary in a pseudo-terminal for tests
	"internal/faults":   true, // fault tests against the real binary
}

type use struct {
	pos  token.Pos
	what string
}

// terminalUses finds the uses of speaks in f, by the names f imports them
// under.
func terminalUses(f *ast.File) []use {
	names := map[string]string{} // local name -> import path
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		if _, ok := speaks[p]; !ok {
			continue
		}
		name := p
		if imp.Name != nil {
			name = imp.Name.Name
		}
		names[name] = p
	}
	var out []use
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			x, ok := n.X.(*ast.Ident)
			if !ok {
				return true
			}
			p, ok := names[x.Name]
			if !ok {
				return true
			}
			if sels := speaks[p]; sels == nil || sels[n.Sel.Name] {
				out = append(out, use{n.Pos(), x.Name + "." + n.Sel.Name})
			}
		case *ast.CallExpr:
			if id, ok := n.Fun.(*ast.Ident); ok && (id.Name == "print" || id.Name == "println") {
				out = append(out, use{n.Pos(), id.Name})
			}
		}
		return true
	})
	return out
}

// TestFormsNeverImportStore: the forms show and read, and reach the store
// only through session, which owns the record's life; neither imports the
// store, even indirectly. The record types depend on nothing of the
// project.
func TestFormsNeverImportStore(t *testing.T) {
	for _, c := range []struct {
		pkg     string
		mustNot []string // import paths; one ending in / is a prefix
	}{
		{"internal/forms", []string{"internal/store"}},
		{"internal/session", []string{"internal/store", "internal/forms", "internal/bundle"}},
		{"internal/record", []string{"internal/", "questionnaire"}},
		{"internal/render", []string{"internal/cli", "internal/store", "internal/session"}},
	} {
		out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", module+"/"+c.pkg).Output()
		if err != nil {
			t.Fatalf("go list: %v", err)
		}
		for _, p := range strings.Fields(string(out)) {
			for _, bad := range c.mustNot {
				bad = module + "/" + bad
				if p != module+"/"+c.pkg && (p == bad || strings.HasSuffix(bad, "/") && strings.HasPrefix(p, bad)) {
					t.Errorf("%s depends on %s", c.pkg, p)
				}
			}
		}
	}
}

// TestSourceFilesStaySmall: a file that does one job fits in 700 lines;
// one that grows past it is split by job (docs/architecture.md).
func TestSourceFilesStaySmall(t *testing.T) {
	const limit = 700
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		checked++
		if n := strings.Count(string(src), "\n"); n > limit {
			rel, _ := filepath.Rel(root, path)
			t.Errorf("%s has %d lines; split it by job (at most %d)", filepath.ToSlash(rel), n, limit)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("only %d source files found from %s: the walk is wrong", checked, root)
	}
}
