package questionnaire

import (
	_ "embed"
	"sync"
)

//go:embed builtin/screening.yaml
var builtinSource []byte

// BuiltinName is how the built-in flow is named in messages.
const BuiltinName = "builtin:screening.yaml"

var builtinOnce = sync.OnceValues(func() (*Flow, error) { return Load(BuiltinName, builtinSource) })

// Builtin returns the built-in screening flow, loaded once.
func Builtin() (*Flow, error) { return builtinOnce() }

// BuiltinSource returns the YAML of the built-in flow, for authors to copy.
func BuiltinSource() []byte { return append([]byte(nil), builtinSource...) }
