package questionnaire

import _ "embed"

//go:embed builtin/screening.htcds.yaml
var builtinHTCDS []byte

// BuiltinHTCDSMapping returns the YAML that maps the built-in flow to the
// Human Trafficking Case Data Standard (read by internal/htcds). It lives
// beside the flow so that a form author adapting the flow finds it.
func BuiltinHTCDSMapping() []byte { return builtinHTCDS }
