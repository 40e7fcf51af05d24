package cli

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestEnvironmentDocumented finds every environment variable the program's
// code reads (os.Getenv, os.LookupEnv, IO.Getenv and getenv functions
// passed around, with a literal or a constant; and every "FIELDSCREEN_…"
// string, which catches a name passed on to a reader) and checks that
// 'fieldscreen help environment' documents it.
func TestEnvironmentDocumented(t *testing.T) {
	var out, errb strings.Builder
	code := Execute(context.Background(), "test", []string{"help", "environment"},
		&IO{In: strings.NewReader(""), Out: &out, Err: &errb, Getenv: func(string) string { return "" }})
	if code != 0 {
		t.Fatalf("help environment: exit %d\n%s", code, errb.String())
	}
	doc := out.String()

	read := readEnvNames(t, filepath.Join("..", ".."))
	for _, want := range []string{"FIELDSCREEN_DB", "FIELDSCREEN_PASSPHRASE", "NO_COLOR", "PAGER", "FIELDSCREEN_NEW_PASSPHRASE", "FIELDSCREEN_CONFIG", "XDG_DATA_HOME"} {
		if !read[want] {
			t.Errorf("the scan missed %s, which the code reads: the scan is broken", want)
		}
	}
	// Read by the Go runtime and standard library on the program's behalf.
	for _, name := range []string{"TZ", "HOME", "XDG_CONFIG_HOME"} {
		read[name] = true
	}
	var names []string
	for name := range read {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if !regexp.MustCompile(`\b` + regexp.QuoteMeta(name) + `\b`).MatchString(doc) {
			t.Errorf("%s is read but not documented in 'fieldscreen help environment'", name)
		}
	}
	t.Logf("documented: %s", strings.Join(names, " "))
}

// readEnvNames scans the module's Go files (not tests, testdata or the
// test-only termtest package) for the environment variables they read.
func readEnvNames(t *testing.T, root string) map[string]bool {
	t.Helper()
	fset := token.NewFileSet()
	type pkgFiles struct {
		consts map[string]string
		files  []*ast.File
	}
	pkgs := map[string]*pkgFiles{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "testdata", "termtest", ".git", "faults":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		dir := filepath.Dir(path)
		p := pkgs[dir]
		if p == nil {
			p = &pkgFiles{consts: map[string]string{}}
			pkgs[dir] = p
		}
		p.files = append(p.files, f)
		for _, decl := range f.Decls {
			g, ok := decl.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i < len(vs.Values) {
						if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							p.consts[name.Name], _ = strconv.Unquote(lit.Value)
						}
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ours := regexp.MustCompile(`^FIELDSCREEN_[A-Z_]+$`)
	found := map[string]bool{}
	for _, p := range pkgs {
		for _, f := range p.files {
			ast.Inspect(f, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.BasicLit:
					if s, err := strconv.Unquote(x.Value); err == nil && x.Kind == token.STRING && ours.MatchString(s) {
						found[s] = true
					}
				case *ast.CallExpr:
					name := ""
					switch fn := x.Fun.(type) {
					case *ast.SelectorExpr:
						name = fn.Sel.Name
					case *ast.Ident:
						name = fn.Name
					}
					if (name != "Getenv" && name != "LookupEnv" && name != "getenv") || len(x.Args) != 1 {
						return true
					}
					switch arg := x.Args[0].(type) {
					case *ast.BasicLit:
						if s, err := strconv.Unquote(arg.Value); err == nil {
							found[s] = true
						}
					case *ast.Ident:
						if s, ok := p.consts[arg.Name]; ok {
							found[s] = true
						}
						// A parameter (newPassphrase's env) carries a
						// FIELDSCREEN_ literal from its caller.
					}
				}
				return true
			})
		}
	}
	return found
}
