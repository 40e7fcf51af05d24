package questionnaire

import _ "embed"

// The JSON Schema of the flow YAML, for authors' editors: it describes every
// key on hover and flags typos as they are typed. It checks the shape only;
// Load remains the judge of a flow (names, expressions, translations), and
// schema_test.go keeps the two in agreement.
//
//go:embed schema/flow.schema.json
var schemaSource []byte

// SchemaFileName is the name the schema is published under.
const SchemaFileName = "flow.schema.json"

// Schema returns the JSON Schema (draft 2020-12) of the flow YAML.
func Schema() []byte { return append([]byte(nil), schemaSource...) }
