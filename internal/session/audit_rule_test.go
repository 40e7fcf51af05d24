package session

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Audit events are made by package record's constructors and added to a
// trail by this package alone: no other code appends to an interview's
// Audit, or calls a constructor. The synthetic generator builds whole
// records of made-up people and starts their trails itself.
func TestAuditEventsOnlyFromSession(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string][]string{
		"internal/synth/synth.go": {"record.Created"},
	}
	constructors := []string{"Created", "Answered", "Changed", "Dropped", "Restored", "Resumed", "ResumedIn", "Paused",
		"Completed", "Amended", "FlowChanged", "Exported", "Imported"}
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if rel == "internal/session" || rel == "internal/record" || strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" {
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
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			switch fn := call.Fun.(type) {
			case *ast.Ident:
				if fn.Name == "append" && len(call.Args) > 0 {
					if sel, ok := call.Args[0].(*ast.SelectorExpr); ok && sel.Sel.Name == "Audit" {
						t.Errorf("%s: appends to an audit trail; session does that", fset.Position(call.Pos()))
					}
				}
			case *ast.SelectorExpr:
				if x, ok := fn.X.(*ast.Ident); ok && x.Name == "record" && slices.Contains(constructors, fn.Sel.Name) &&
					!slices.Contains(allowed[filepath.ToSlash(rel)], "record."+fn.Sel.Name) {
					t.Errorf("%s: makes an audit event (record.%s); session does that", fset.Position(call.Pos()), fn.Sel.Name)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
