package questionnaire

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestKindRules: every kind has its row in kindRules (questionnaire/kinds.go),
// with what a kind that asks needs: how its answers are checked, listed in
// messages and picked by the fail-safe check. A kind without a row would
// load as an unknown type.
func TestKindRules(t *testing.T) {
	for _, k := range Kinds() {
		r := kindRules[k]
		if r == nil {
			t.Errorf("kind %q has no row in the questionnaire's kindRules (questionnaire/kinds.go): say how a flow using it is validated and answered", k)
			continue
		}
		if r.note {
			if r.check != nil || r.generate != nil || r.accepts != nil || r.list || r.number || r.choices != choicesNone {
				t.Errorf("kind %q asks nothing, but its row in kindRules takes answers or choices", k)
			}
			continue
		}
		for what, missing := range map[string]bool{"check": r.check == nil, "accepts": r.accepts == nil, "generate": r.generate == nil} {
			if missing {
				t.Errorf("kind %q's row in the questionnaire's kindRules has no %s", k, what)
			}
		}
	}
	for k := range kindRules {
		if !slices.Contains(Kinds(), k) {
			t.Errorf("kindRules has a row for %q, which Kinds() does not list", k)
		}
	}
}

// TestKindsAnswered: for every kind, its example question loads, and
// the answers the fail-safe check picks are answers Check takes.
func TestKindsAnswered(t *testing.T) {
	for _, k := range Kinds() {
		f, q, err := KindExample(k)
		if err != nil {
			t.Errorf("kind %q: its example question (kindRules' example) does not load:\n%v", k, err)
			continue
		}
		if !q.Asks() {
			continue
		}
		g := NewAnswerGenerator(f)
		rng := rand.New(rand.NewPCG(1, 2))
		for range 50 {
			v := g.value(rng, q)
			if v == nil {
				continue
			}
			if _, err := f.Check(q, v, Answers{}, "en"); err != nil {
				t.Errorf("kind %q: the fail-safe check picks %#v, which Check refuses: %v", k, v, err)
			}
		}
	}
}

// TestKindsInSchema: the schema's `type` enum is Kinds(), in order, and
// its description names each.
func TestKindsInSchema(t *testing.T) {
	var doc struct {
		Defs map[string]struct {
			Properties map[string]struct {
				Description string   `json:"description"`
				Enum        []string `json:"enum"`
			} `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(Schema(), &doc); err != nil {
		t.Fatal(err)
	}
	typ := doc.Defs["question"].Properties["type"]
	if !slices.Equal(typ.Enum, kindNames()) {
		t.Errorf("the schema's question type enum (questionnaire/schema/flow.schema.json) is %v, want Kinds(): %v", typ.Enum, kindNames())
	}
	for _, k := range Kinds() {
		if !regexp.MustCompile(`\b` + string(k) + `\b`).MatchString(typ.Description) {
			t.Errorf("kind %q is not described in the schema's question type description: %q", k, typ.Description)
		}
	}
}

// TestKindsInGuide: the author's guide (docs/authoring.md) has a row for
// every kind in its table of question types.
func TestKindsInGuide(t *testing.T) {
	doc, err := os.ReadFile(guideDoc)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range Kinds() {
		if !strings.Contains(string(doc), "| `"+string(k)+"` |") {
			t.Errorf("kind %q has no row in the table of question types of %s", k, guideDoc)
		}
	}
}
