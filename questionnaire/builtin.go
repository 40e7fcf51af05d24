package questionnaire

import (
	_ "embed"
	"sync"
)

// The built-in flow, current version, and the earlier versions that
// interviews in stores and bundles were taken with.
var (
	//go:embed builtin/screening.yaml
	builtinSource []byte
	//go:embed builtin/screening-1.0.0.yaml
	builtin100Source []byte
)

// BuiltinName is how the built-in flow is named in messages.
const BuiltinName = "builtin:screening.yaml"

var builtinOnce = sync.OnceValues(func() (*Flow, error) { return Load(BuiltinName, builtinSource) })

var builtinAll = sync.OnceValue(func() []*Flow {
	var out []*Flow
	if f, err := Builtin(); err == nil {
		out = append(out, f)
	}
	if f, err := Load("builtin:screening-1.0.0.yaml", builtin100Source); err == nil {
		out = append(out, f)
	}
	return out
})

// Builtin returns the built-in screening flow, loaded once.
func Builtin() (*Flow, error) { return builtinOnce() }

// BuiltinVersions returns every built-in flow, current first: the
// current one and each earlier version interviews may have been taken with.
func BuiltinVersions() []*Flow { return builtinAll() }

// BuiltinByHash returns the built-in flow (current or earlier) with hash,
// or nil.
func BuiltinByHash(hash string) *Flow {
	for _, f := range builtinAll() {
		if f.Hash == hash {
			return f
		}
	}
	return nil
}

// BuiltinVersion returns the built-in flow of a version ("1.0.0"), or nil.
func BuiltinVersion(version string) *Flow {
	for _, f := range builtinAll() {
		if f.Version == version {
			return f
		}
	}
	return nil
}

// BuiltinSource returns the YAML of the built-in flow, for authors to copy.
func BuiltinSource() []byte { return append([]byte(nil), builtinSource...) }
