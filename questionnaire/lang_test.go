package questionnaire

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// builtinLanguages are the languages the built-in flow must speak in full.
var builtinLanguages = []string{"en", "fr", "es"}

// sameAsEnglish lists the few translations that are rightly identical to
// the English (the word is the same in both languages), as "lang:English".
// Keep it short: every other text must differ from the English, so that an
// untranslated copy is caught.
var sameAsEnglish = map[string]bool{
	"fr:Situation": true, // the situation finding's label
	"fr:Possible":  true, // refugee_protection.level "possible"
	"es:No":        true, // wishes_to_return choice "no"
}

// flowText is one Text of a flow and where it is.
type flowText struct {
	where string
	text  Text
}

// flowTexts returns every non-empty Text of f, found by walking the whole
// flow, so that a Text field added later is checked too.
func flowTexts(f *Flow) []flowText {
	var out []flowText
	textType := reflect.TypeOf(Text{})
	var walk func(v reflect.Value, where string)
	walk = func(v reflect.Value, where string) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem(), where)
			}
		case reflect.Struct:
			t := v.Type()
			for i := 0; i < t.NumField(); i++ {
				sf := t.Field(i)
				if !sf.IsExported() || sf.Tag.Get("yaml") == "-" {
					continue
				}
				w := where + "." + sf.Name
				for _, key := range []string{"ID", "Value"} {
					if id := v.FieldByName(key); id.IsValid() && id.Kind() == reflect.String && id.String() != "" {
						w = fmt.Sprintf("%s[%s].%s", where, id.String(), sf.Name)
						break
					}
				}
				walk(v.Field(i), w)
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i), fmt.Sprintf("%s[%d]", where, i))
			}
		case reflect.Map:
			if v.Type() == textType {
				if t := v.Interface().(Text); !t.Empty() {
					out = append(out, flowText{where, t})
				}
			}
		}
	}
	walk(reflect.ValueOf(f), "flow")
	return out
}

func TestBuiltinLanguages(t *testing.T) {
	f := builtin(t)
	if !reflect.DeepEqual(f.Languages, builtinLanguages) {
		t.Fatalf("languages = %v, want %v", f.Languages, builtinLanguages)
	}
	if f.DefaultLanguage != "en" {
		t.Fatalf("default_language = %q, want en", f.DefaultLanguage)
	}
}

// TestBuiltinTranslated checks that every text of the built-in flow is
// given in English, French and Spanish, and that no French or Spanish text
// is a copy of the English.
func TestBuiltinTranslated(t *testing.T) {
	f := builtin(t)
	texts := flowTexts(f)
	if len(texts) < 250 {
		t.Fatalf("found only %d texts in the built-in flow; the walk is missing some", len(texts))
	}
	used := map[string]bool{}
	for _, ft := range texts {
		for lang := range ft.text {
			if !contains(builtinLanguages, lang) {
				t.Errorf("%s: text in %q, which the flow does not declare", ft.where, lang)
			}
		}
		en := strings.TrimSpace(ft.text["en"])
		for _, lang := range builtinLanguages {
			s := strings.TrimSpace(ft.text[lang])
			if s == "" {
				t.Errorf("%s: no %s text", ft.where, lang)
				continue
			}
			if lang == "en" || !strings.EqualFold(s, en) {
				continue
			}
			if key := lang + ":" + en; sameAsEnglish[key] {
				used[key] = true
				continue
			}
			t.Errorf("%s: the %s text is the English one (%q); translate it, or add it to sameAsEnglish if it is rightly the same word", ft.where, lang, s)
		}
	}
	for key := range sameAsEnglish {
		if !used[key] {
			t.Errorf("sameAsEnglish holds %q, which no text uses any more; remove it", key)
		}
	}
}

// TestBuiltinFrenchSpaces checks French typography: a no-break space
// (U+00A0) before "?", "!", ":", ";" and "»" and after "«", so that a
// printed line never starts with one of them (the page layout never breaks
// a line at a no-break space). Type it in the YAML as the character itself.
func TestBuiltinFrenchSpaces(t *testing.T) {
	f := builtin(t)
	for _, ft := range flowTexts(f) {
		fr := ft.text["fr"]
		for i, r := range fr {
			var bad bool
			switch r {
			case '?', '!', ':', ';', '»':
				bad = i > 0 && fr[i-1] == ' '
			case '«':
				bad = i+len("«") < len(fr) && fr[i+len("«")] == ' '
			}
			if bad {
				t.Errorf("%s: French text has a plain space by %q (use a no-break space, U+00A0): %q", ft.where, r, fr)
				break
			}
		}
	}
}

// TestBuiltinTextsFollowLanguage checks that the flow shows its texts in
// the language asked for, and falls back to English for any other.
func TestBuiltinTextsFollowLanguage(t *testing.T) {
	f := builtin(t)
	consent := f.Question("consent")
	if consent == nil {
		t.Fatal("no question consent")
	}
	texts := map[string]Text{
		"title":        f.Title,
		"disclaimer":   f.Disclaimer,
		"section":      consent.Section.Title,
		"label":        consent.Label,
		"choice label": consent.Choices[0].Label,
	}
	for what, tx := range texts {
		for _, lang := range builtinLanguages {
			if got := f.T(tx, lang); got != tx[lang] || got == "" {
				t.Errorf("%s in %s = %q, want %q", what, lang, got, tx[lang])
			}
		}
		if got := f.T(tx, "de"); got != tx["en"] {
			t.Errorf("%s in de = %q, want the English %q", what, got, tx["en"])
		}
	}
}

// TestScoringIndependentOfLanguage scores every scenario with the answers
// file's language set to each of the flow's languages, and with a copy of
// the flow that speaks English only: the summaries must be identical (but
// for the flow hash of the copy). Translations must never change a rule.
func TestScoringIndependentOfLanguage(t *testing.T) {
	f := builtin(t)
	enOnly := englishOnly(t, f)
	files, err := filepath.Glob(filepath.Join(scenarioDir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios in %s (%v)", scenarioDir, err)
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".yaml")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var doc map[string]any
			if err := yaml.Unmarshal(src, &doc); err != nil {
				t.Fatal(err)
			}
			score := func(fl *Flow, lang string) string {
				t.Helper()
				d := map[string]any{}
				for k, v := range doc {
					d[k] = v
				}
				d["language"] = lang
				b, err := yaml.Marshal(d)
				if err != nil {
					t.Fatal(err)
				}
				af, err := fl.ParseAnswers(name+".yaml", b)
				if err != nil {
					t.Fatalf("answers rejected in %s:\n%v", lang, err)
				}
				s, err := fl.Score(af.Answers)
				if err != nil {
					t.Fatalf("Score in %s: %v", lang, err)
				}
				s.Flow.Hash = ""
				j, err := json.MarshalIndent(s, "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				return string(j) + fmt.Sprintf("\ndropped: %v\n", af.Dropped)
			}
			want := score(enOnly, "en")
			for _, lang := range builtinLanguages {
				if got := score(f, lang); got != want {
					t.Errorf("summary in %s differs from the English-only flow's:\n--- %s ---\n%s\n--- en only ---\n%s", lang, lang, got, want)
				}
			}
		})
	}
}

// englishOnly loads a copy of f's source with every French and Spanish
// text removed and languages: [en].
func englishOnly(t *testing.T, f *Flow) *Flow {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(f.Source, &doc); err != nil {
		t.Fatal(err)
	}
	removed := 0
	var strip func(n *yaml.Node)
	strip = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			var kept []*yaml.Node
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if (k.Value == "fr" || k.Value == "es") && v.Kind == yaml.ScalarNode {
					removed++
					continue
				}
				if k.Value == "languages" && v.Kind == yaml.SequenceNode {
					v.Content = []*yaml.Node{{Kind: yaml.ScalarNode, Value: "en"}}
				}
				kept = append(kept, k, v)
			}
			n.Content = kept
		}
		for _, c := range n.Content {
			strip(c)
		}
	}
	strip(&doc)
	if removed == 0 {
		t.Fatal("the built-in flow has no French or Spanish texts to remove")
	}
	src, err := yaml.Marshal(&doc)
	if err != nil {
		t.Fatal(err)
	}
	en, err := Load("english-only.yaml", src)
	if err != nil {
		t.Fatalf("the English-only copy does not load:\n%v", err)
	}
	if !reflect.DeepEqual(en.Languages, []string{"en"}) {
		t.Fatalf("English-only copy speaks %v", en.Languages)
	}
	return en
}
