package questionnaire

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// compileSchema compiles the embedded schema, which must itself be a valid
// draft 2020-12 schema.
func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	if err != nil {
		t.Fatalf("the schema is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(SchemaFileName, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(SchemaFileName)
	if err != nil {
		t.Fatalf("the schema does not compile: %v", err)
	}
	return s
}

// yamlToJSON turns flow YAML into the values a JSON Schema validator reads,
// by way of JSON so that numbers and maps take JSON's shapes.
func yamlToJSON(t *testing.T, src []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(src, &v); err != nil {
		t.Fatalf("yaml: %v", err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("the YAML has no JSON form: %v", err)
	}
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSchemaIsJSONWithDraft(t *testing.T) {
	var m map[string]any
	if err := json.Unmarshal(Schema(), &m); err != nil {
		t.Fatal(err)
	}
	if m["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %v, want draft 2020-12", m["$schema"])
	}
}

// TestSchemaAcceptsValidFlows: every flow Load accepts, the schema accepts.
func TestSchemaAcceptsValidFlows(t *testing.T) {
	s := compileSchema(t)
	flows := map[string][]byte{BuiltinName: builtinSource}
	for _, name := range []string{"minimal.yaml", "guide-example.yaml"} {
		src, err := os.ReadFile(filepath.Join(flowDir, name))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		flows[name] = src
	}
	for name, src := range flows {
		t.Run(name, func(t *testing.T) {
			if _, err := Load(name, src); err != nil {
				t.Fatalf("Load: %v", err)
			}
			if err := s.Validate(yamlToJSON(t, src)); err != nil {
				t.Errorf("the schema rejects a flow Load accepts:\n%v", err)
			}
		})
	}
}

// schemaBase is a valid flow that the invalid examples below each break
// in one way.
const schemaBase = `id: schema-test
version: "1"
default_language: en
title: Schema test
sections:
  - id: s
    title: S
    questions:
      - id: q
        type: choice
        label: Where?
        choices:
          - {value: here, label: Here}
          - {value: there, label: There}
      - id: age
        type: integer
        min: 0
        label: Age?
findings:
  - id: where
    cases:
      - {value: near, when: q == "here"}
      - {value: far}
referrals:
  - id: help
    label: Help
    when: q == "there"
    priority:
      - {value: urgent, when: age < 18}
      - {value: standard}
cautions:
  - id: careful
    label: Careful
    when: real(age)
`

// TestSchemaAndLoadRejectTheSame: each broken flow is refused by both the
// schema (in the editor) and Load (at validate time).
func TestSchemaAndLoadRejectTheSame(t *testing.T) {
	s := compileSchema(t)
	if _, err := Load("base.yaml", []byte(schemaBase)); err != nil {
		t.Fatalf("the base flow must load: %v", err)
	}
	if err := s.Validate(yamlToJSON(t, []byte(schemaBase))); err != nil {
		t.Fatalf("the base flow must pass the schema: %v", err)
	}
	cases := []struct {
		name, old, new string
		load           string // part of Load's message
	}{
		{"unknown key", "        min: 0\n", "        min: 0\n        requred: true\n", `unknown key "requred"`},
		{"unknown top-level key", "version: \"1\"\n", "version: \"1\"\nauthor: me\n", `unknown key "author"`},
		{"wrong type", "type: integer", "type: integr", `unknown type "integr"`},
		{"missing question id", "      - id: age\n        type: integer", "      - type: integer", "has no id"},
		{"missing flow id", "id: schema-test\n", "", "the flow has no id"},
		{"priority not in enum", "{value: urgent, when: age < 18}", "{value: asap, when: age < 18}", `priority asap is not one of`},
		{"choice without value", "{value: there, label: There}", "{label: There}", "a choice without a value"},
		{"choice question without choices", "          - {value: here, label: Here}\n          - {value: there, label: There}\n", "", "has no choices"},
		{"declined as a choice", "{value: there, label: There}", "{value: declined, label: Declined}", `"declined" is offered`},
		{"finding with expr and cases", "  - id: where\n    cases:", "  - id: where\n    expr: q\n    cases:", "has both expr and cases"},
		{"finding with neither", "  - id: where\n    cases:\n      - {value: near, when: q == \"here\"}\n      - {value: far}\n", "  - id: where\n", "needs either expr or cases"},
		{"referral without when", "    when: q == \"there\"\n", "", `has no ` + "`when`"},
		{"referral without priority", "    priority:\n      - {value: urgent, when: age < 18}\n      - {value: standard}\n", "", "has no priority"},
		{"min on a choice question", "        type: choice\n", "        type: choice\n        min: 1\n", "min and max apply only to integer"},
		{"bad id", "      - id: age\n", "      - id: Age\n", "must start with a lower-case letter"},
		{"label not text", "        label: Age?", "        label: [Age, years]", "label must be a text, or one text a language"},
		{"required not a boolean", "        min: 0\n", "        min: 0\n        required: sometimes\n", "required must be true or false, not \"sometimes\""},
		{"no sections", "sections:", "sectionz:", "unknown key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(schemaBase, tc.old) {
				t.Fatalf("the base flow has no %q", tc.old)
			}
			src := []byte(strings.Replace(schemaBase, tc.old, tc.new, 1))
			_, err := Load("broken.yaml", src)
			if err == nil {
				t.Errorf("Load accepted it")
			} else if !strings.Contains(err.Error(), tc.load) {
				t.Errorf("Load said:\n%v\nwant a problem containing %q", err, tc.load)
			}
			if err := s.Validate(yamlToJSON(t, src)); err == nil {
				t.Errorf("the schema accepted it")
			}
		})
	}
}

// TestSchemaDescribesEveryKey: every key Load takes is in the schema, with a
// description an editor can show, and the schema names no key Load lacks.
func TestSchemaDescribesEveryKey(t *testing.T) {
	var root map[string]any
	if err := json.Unmarshal(Schema(), &root); err != nil {
		t.Fatal(err)
	}
	defs := root["$defs"].(map[string]any)
	objects := map[string]map[string]any{"flow": root}
	for name, d := range defs {
		if m, ok := d.(map[string]any); ok && m["type"] == "object" {
			objects[name] = m
		}
	}
	want := map[string][]string{
		"flow":       yamlKeys(Flow{}),
		"uiString":   yamlKeys(UIString{}),
		"section":    yamlKeys(Section{}),
		"question":   yamlKeys(Question{}),
		"choice":     yamlKeys(Choice{}),
		"constraint": yamlKeys(Constraint{}),
		"derived":    yamlKeys(Derived{}),
		"finding":    yamlKeys(Finding{}),
		"case":       yamlKeys(Case{}),
		"referral":   yamlKeys(Referral{}),
		"caution":    yamlKeys(Caution{}),
		// A priority is a Case of which only value and when are read.
		"priority": {"value", "when"},
	}
	for name, keys := range want {
		obj := objects[name]
		if obj == nil {
			t.Errorf("the schema has no object %q", name)
			continue
		}
		if obj["additionalProperties"] != false {
			t.Errorf("%s: additionalProperties must be false, so typos are flagged", name)
		}
		props, _ := obj["properties"].(map[string]any)
		for _, k := range keys {
			p, ok := props[k].(map[string]any)
			if !ok {
				t.Errorf("%s: the schema lacks key %q", name, k)
				continue
			}
			if p["description"] == nil && p["$ref"] != "#/$defs/basis" && p["$ref"] != "#/$defs/reasons" {
				t.Errorf("%s.%s has no description", name, k)
			}
		}
		if len(props) != len(keys) {
			t.Errorf("%s: the schema has %d keys, Load takes %d (%v)", name, len(props), len(keys), keys)
		}
	}
}

func yamlKeys(v any) []string {
	var keys []string
	rt := reflect.TypeOf(v)
	for i := 0; i < rt.NumField(); i++ {
		tag := strings.Split(rt.Field(i).Tag.Get("yaml"), ",")[0]
		if tag != "" && tag != "-" {
			keys = append(keys, tag)
		}
	}
	return keys
}
