package bundle

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"fieldscreen/questionnaire"
)

// TestSchemaStatesLimits checks that schema/bundle.schema.json states
// every size limit an import enforces, with the numbers the code uses,
// and no limit the code does not enforce.
func TestSchemaStatesLimits(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "schema", "bundle.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{
		"x-maxHeaderBytes":                                  maxHeaderBytes,
		"x-maxTailBytes":                                    maxTailBytes,
		"properties/generator/maxLength":                    maxFieldBytes,
		"properties/interviewer/maxLength":                  maxFieldBytes,
		"properties/purpose/maxLength":                      maxFieldBytes,
		"properties/flows/maxItems":                         maxFlows,
		"properties/interviews/maxItems":                    MaxBundleInterviews,
		"$defs/flowSource/properties/source/maxLength":      questionnaire.MaxFlowSource,
		"$defs/value/oneOf/0/maxLength":                     questionnaire.MaxTextAnswer,
		"$defs/answer/properties/label/maxLength":           maxFieldBytes,
		"$defs/correction/properties/reason/maxLength":      maxFieldBytes,
		"$defs/auditEvent/properties/event/maxLength":       maxFieldBytes,
		"$defs/auditEvent/properties/question_id/maxLength": maxFieldBytes,
		"$defs/auditEvent/properties/interviewer/maxLength": maxFieldBytes,
		"$defs/auditEvent/properties/detail/maxLength":      maxFieldBytes,
		"$defs/interview/x-maxBytes":                        maxInterviewBytes,
		"$defs/interview/properties/interviewer/maxLength":  maxFieldBytes,
		"$defs/interview/properties/location/maxLength":     maxFieldBytes,
		"$defs/interview/properties/language/maxLength":     maxFieldBytes,
		"$defs/interview/properties/position/maxLength":     maxFieldBytes,
		"$defs/interview/properties/audit/maxItems":         maxAuditEvents,
	}
	got := map[string]int{}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				p := strings.TrimPrefix(path+"/"+k, "/")
				if n, ok := x.(float64); ok && (k == "maxLength" || k == "maxItems" || strings.HasPrefix(k, "x-max")) {
					got[p] = int(n)
					continue
				}
				walk(p, x)
			}
		case []any:
			for i, x := range v {
				walk(path+"/"+strconv.Itoa(i), x)
			}
		}
	}
	walk("", doc)
	var keys []string
	for k := range want {
		keys = append(keys, k)
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range slices.Compact(keys) {
		w, inWant := want[k]
		g, inGot := got[k]
		switch {
		case !inGot:
			t.Errorf("the schema does not state %s (the code's limit is %d)", k, w)
		case !inWant:
			t.Errorf("the schema states %s = %d, a limit the code does not have", k, g)
		case g != w:
			t.Errorf("the schema states %s = %d; the code's limit is %d", k, g, w)
		}
	}
}
