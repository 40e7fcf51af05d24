package questionnaire

import (
	"embed"
	"io/fs"
	"path"
)

// The built-in flow's test suite, beside the flow: the spec's tables row
// by row, and whole stories. `fieldscreen flow test` runs it when no case
// file is given.
//
//go:embed builtin/*cases*.yaml
var builtinCases embed.FS

// CaseSource is a case file's name and text.
type CaseSource struct {
	Name string
	Src  []byte
}

// BuiltinCaseSources returns the built-in flow's case files, named
// "builtin:NAME.yaml", in name order.
func BuiltinCaseSources() []CaseSource {
	names, _ := fs.Glob(builtinCases, "builtin/*cases*.yaml")
	var out []CaseSource
	for _, n := range names {
		src, err := builtinCases.ReadFile(n)
		if err != nil {
			continue
		}
		out = append(out, CaseSource{Name: "builtin:" + path.Base(n), Src: src})
	}
	return out
}
