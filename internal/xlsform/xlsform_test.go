package xlsform

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"fieldscreen/questionnaire"
)

var update = flag.Bool("update", false, "rewrite the golden files and testdata/xlsform")

func convertForm(t *testing.T, f form) *Result {
	t.Helper()
	wb, err := Read(bytes.NewReader(makeXLSX(t, f)))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Convert(f.name+".xlsx", wb)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run with -update if the change is meant); got:\n%s", path, got)
	}
}

func issuesText(res *Result) []byte {
	var b strings.Builder
	for _, i := range res.Issues {
		b.WriteString(i.String() + "\n")
	}
	return []byte(b.String())
}

// Every form converts to the golden flow and issues, and the flow loads.
func TestConvertGolden(t *testing.T) {
	for _, f := range forms {
		t.Run(f.name, func(t *testing.T) {
			res := convertForm(t, f)
			golden(t, filepath.Join("testdata", f.name+".yaml"), res.YAML)
			golden(t, filepath.Join("testdata", f.name+".issues"), issuesText(res))
			if _, err := questionnaire.Load(f.name+".yaml", res.YAML); err != nil {
				t.Fatalf("the converted flow does not load:\n%v", err)
			}
		})
	}
}

func loadConverted(t *testing.T, name string) *questionnaire.Flow {
	t.Helper()
	res := convertForm(t, formByName(name))
	fl, err := questionnaire.Load(name+".yaml", res.YAML)
	if err != nil {
		t.Fatal(err)
	}
	return fl
}

func asked(t *testing.T, fl *questionnaire.Flow, answers string) []string {
	t.Helper()
	af, err := fl.ParseAnswers("answers.yaml", []byte(answers))
	if err != nil {
		t.Fatalf("answers: %v", err)
	}
	if _, err := fl.Score(af.Answers); err != nil {
		t.Fatalf("score: %v", err)
	}
	vis, err := fl.Visible(af.Answers)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, q := range vis {
		ids = append(ids, q.ID)
	}
	return ids
}

// The converted conditions ask what the form asks.
func TestConvertedFlowsAskAsTheFormDoes(t *testing.T) {
	shelter := loadConverted(t, "shelter-intake")
	bilingual := loadConverted(t, "protection-bilingual")
	for _, c := range []struct {
		name    string
		fl      *questionnaire.Flow
		answers string
		want    string
	}{
		{"no consent", shelter, `answers: {consent: "no"}`, "consent thanks"},
		{"age known", shelter, `answers: {consent: "yes", age: 30, slept: street}`, "consent age slept needs thanks"},
		{"age declined", shelter, `answers: {consent: "yes", age: declined, slept: street}`, "consent age slept needs thanks"},
		{"age not given", shelter, `answers: {consent: "yes", slept: street}`, "consent age may_be_child slept needs thanks"},
		{"at work", shelter, `answers: {consent: "yes", age: 30, slept: workplace, control: [threats]}`, "consent age slept needs control free_to_leave hours thanks"},
		{"at work, no control", shelter, `answers: {consent: "yes", age: 30, slept: workplace, control: [unpaid], hours: 12}`, "consent age slept needs control free_to_leave hours thanks"},
		{"at work, control not known", shelter, `answers: {consent: "yes", age: 30, slept: workplace}`, "consent age slept needs control free_to_leave thanks"},
		{"adult", bilingual, `answers: {consent: "yes", age_years: 30, country: ua}`, "consent age_years country town fear count_q"},
		{"child", bilingual, `answers: {consent: "yes", age_years: 12, country: other}`, "consent age_years country alone fear count_q"},
		{"age declined: not(age >= 0)", bilingual, `answers: {consent: "yes", age_years: declined}`, "consent age_years country alone fear count_q"},
		{"fear", bilingual, `answers: {consent: "yes", age_years: 30, fear: [harm]}`, "consent age_years country fear fear_note count_q"},
		{"fear nothing", bilingual, `answers: {consent: "yes", age_years: 30, fear: [nothing]}`, "consent age_years country fear count_q"},
		{"no consent", bilingual, `answers: {consent: "no"}`, "consent"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := strings.Join(asked(t, c.fl, c.answers), " "); got != c.want {
				t.Errorf("asked %s, want %s", got, c.want)
			}
		})
	}
}

// Constraints check what the form's constraints check.
func TestConvertedConstraints(t *testing.T) {
	shelter := loadConverted(t, "shelter-intake")
	check := func(qid string, v any, earlier questionnaire.Answers) error {
		_, err := shelter.Check(shelter.Question(qid), v, earlier, "en")
		return err
	}
	if err := check("age", 130, nil); err == nil || !strings.Contains(err.Error(), "between 0 and 120") {
		t.Errorf("age 130: %v, want the form's message", err)
	}
	if err := check("age", 40, nil); err != nil {
		t.Errorf("age 40: %v", err)
	}
	if err := check("hours", 25, nil); err == nil {
		t.Error("hours 25 accepted")
	}
	if err := check("needs", []any{"food", "bed"}, nil); err != nil {
		t.Errorf("food and bed: %v", err)
	}
	if err := check("needs", []any{"none"}, nil); err != nil {
		t.Errorf("none alone: %v", err)
	}
	if shelter.ConsentQuestion != "consent" {
		t.Errorf("consent_question = %q", shelter.ConsentQuestion)
	}
	if q := shelter.Question("free_to_leave"); q.Type != questionnaire.TypeYesNo || len(q.Choices) != 2 {
		t.Errorf("free_to_leave: %s with %d choices; a yes/no list with dont_know is yes_no", q.Type, len(q.Choices))
	}
	bilingual := loadConverted(t, "protection-bilingual")
	q := bilingual.Question("age_years")
	if got := bilingual.T(q.Hint, "fr"); got != "Une estimation" {
		t.Errorf("French hint %q", got)
	}
	if _, err := bilingual.Check(q, 130, nil, "fr"); err == nil || !strings.Contains(err.Error(), "Trop âgé") {
		t.Errorf("French constraint message: %v", err)
	}
}

// The broken form lists each problem at its sheet, row and column, and
// what it keeps still loads.
func TestBrokenForm(t *testing.T) {
	res := convertForm(t, formByName("broken"))
	text := string(issuesText(res))
	for _, want := range []string{
		`survey row 3, column A (type): type "geopoint" is not converted`,
		`survey row 4, column A (type): type "decimal" is not converted`,
		`survey row 5, column A (type): no list "colours" in the choices sheet`,
		`survey row 6, column E (relevant): the function jr:choice-name() is not supported`,
		`survey row 7, column B (name): the name "name_given" is used twice (first at row 6)`,
		`survey row 8, column E (relevant): ${consent} has no choice "maybe"`,
		`survey row 8, column F (constraint): the expression ends too early`,
		`survey row 9, column A (type): calculate "is_adult" is not converted`,
		`survey row 10, column E (relevant): ${after} comes later in the form (row 14)`,
		`survey row 11, column A (type): repeat groups are not converted: rows 11 to 13 are left out`,
		`survey row 14, column D (required): required only when "${age} > 18" holds is not converted`,
		`survey row 15, column E (relevant): ${person_name} was left out (it is inside a repeat group)`,
		`survey row 15, column F (constraint): the function string-length() is not supported`,
		`survey row 16, column A (type): type "frobnicate" is not converted`,
		`choices row 4, column B (name): list yn has the choice "no" twice`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no issue %q in:\n%s", want, text)
		}
	}
	fl, err := questionnaire.Load("broken.yaml", res.YAML)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, q := range fl.Questions {
		ids = append(ids, q.ID)
	}
	if got, want := ids, []string{"consent", "name_given", "age", "later", "after", "kids"}; !reflect.DeepEqual(got, want) {
		t.Errorf("questions %v, want %v", got, want)
	}
}

func TestNotAnXLSForm(t *testing.T) {
	if _, err := Read(strings.NewReader("id: a flow\n")); err == nil || !strings.Contains(err.Error(), "not an .xlsx workbook") {
		t.Errorf("a YAML file: %v", err)
	}
	wb, err := Read(bytes.NewReader(makeXLSX(t, form{"x", []sheetData{{"data", [][]string{{"a"}, {"b"}}}}})))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Convert("x.xlsx", wb); err == nil || !strings.Contains(err.Error(), "no survey sheet") {
		t.Errorf("a workbook without survey: %v", err)
	}
}

func TestConvertExpr(t *testing.T) {
	refs := map[string]*ref{
		"consent": {id: "consent", typ: "yes_no", choices: []string{"yes", "no"}, required: true},
		"age":     {id: "age", typ: "integer"},
		"needs":   {id: "needs", typ: "multi", choices: []string{"food", "bed", "none"}},
		"place":   {id: "place", typ: "choice", choices: []string{"street", "1"}},
		"town":    {id: "town", typ: "text"},
	}
	cx := exprCtx{lookup: func(name string) (*ref, error) {
		if r := refs[name]; r != nil {
			return r, nil
		}
		return nil, os.ErrNotExist
	}}
	self := exprCtx{lookup: cx.lookup, self: &ref{id: "hours", typ: "integer"}}
	for _, c := range []struct {
		src  string
		cx   exprCtx
		want string // "!" and an error's words
	}{
		{"${consent} = 'yes'", cx, `consent == "yes"`},
		{"'yes' = ${consent}", cx, `consent == "yes"`},
		{"${consent}='yes' and ${age}>=18", cx, `consent == "yes" and age >= 18`},
		{"18 < ${age}", cx, `age > 18`},
		{"${age} = '18'", cx, `age == 18`},
		{"${place} = 1", cx, `place == "1"`},
		{"${town} = 'Lviv'", cx, `town == "Lviv"`},
		{"${age} = ''", cx, `not answered(age)`},
		{"${age} != ''", cx, `answered(age)`},
		{"selected(${needs}, 'bed') or selected(${needs},\"food\")", cx, `has(needs, "bed") or has(needs, "food")`},
		{"count-selected(${needs}) > 1", cx, `count(needs) > 1`},
		{"not(${consent} = 'no')", cx, `not (consent == "no")`},
		{"(${age} > 1 or ${age} < 0) and ${consent} != 'no'", cx, `(age > 1 or age < 0) and consent != "no"`},
		{"${age} + 2 * 3 > 10", cx, `age + 2 * 3 > 10`},
		{"(${age} + 2) * 3 > 10", cx, `(age + 2) * 3 > 10`},
		{"${age} mod 2 = 0", cx, `age % 2 == 0`},
		{"true()", cx, `true`},
		{". >= 0 and . <= 24", self, `value >= 0 and value <= 24`},
		{"${hours} < 24", self, `value < 24`},
		{". <= ${age}", self, `value <= age`},
		{"${consent} = 'maybe'", cx, `!has no choice "maybe"`},
		{"selected(${needs}, 'car')", cx, `!has no choice "car"`},
		{"${needs} = 'bed'", cx, `!is a select_multiple`},
		{"${place} > 'a'", cx, `!can only be compared with = or !=`},
		{"${age} = 'old'", cx, `!is a number`},
		{". > 1", cx, `!can only be used in a constraint`},
		{"string-length(${town}) > 3", cx, `!the function string-length() is not supported`},
		{"/data/age > 3", cx, `!"/" is not supported`},
		{"${age} >", cx, `!ends too early`},
		{"(${age} > 3", cx, `!without its closing )`},
		{"${age} > 3 4", cx, `!"4" is out of place`},
		{"'open", cx, `!without its closing quote`},
		{"${nobody} = 'x'", cx, `!file does not exist`},
		{"count-selected(${age})", cx, `!reads a select_multiple`},
		{"not(${age} > 1, 2)", cx, `!takes 1 argument`},
		{"age > 1", cx, `!"age" is not supported (write ${name}`},
	} {
		got, err := convertExpr(c.src, c.cx)
		if msg, bad := strings.CutPrefix(c.want, "!"); bad {
			if err == nil || !strings.Contains(err.Error(), msg) {
				t.Errorf("%s: got %q, %v; want an error with %q", c.src, got, err, msg)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s: got %q, %v; want %q", c.src, got, err, c.want)
		}
	}
}

// testdata/xlsform holds the forms as .xlsx files, for the command's
// script test and for authors to open; they must say what the forms here
// say.
func TestCommittedForms(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "xlsform")
	for _, f := range forms {
		path := filepath.Join(dir, f.name+".xlsx")
		if *update {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, makeXLSX(t, f), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		fh, err := os.Open(path)
		if err != nil {
			t.Fatalf("%v (run with -update to write it)", err)
		}
		wb, err := Read(fh)
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range f.sheets {
			got := wb.Sheets[s.name]
			if got == nil {
				t.Errorf("%s has no sheet %s (run with -update)", path, s.name)
				continue
			}
			if !reflect.DeepEqual(got.Columns, s.rows[0]) || len(got.Rows) != len(s.rows)-1 {
				t.Errorf("%s, sheet %s differs from the form here (run with -update)", path, s.name)
				continue
			}
			for i, r := range got.Rows {
				for j, v := range s.rows[i+1] {
					if got.Get(r, s.rows[0][j]) != v && !(j < len(r.Cells) && r.Cells[j] == v) {
						t.Errorf("%s, sheet %s row %d differs from the form here (run with -update)", path, s.name, r.N)
					}
				}
			}
		}
	}
}

// TestControlCharactersRemoved: a cell holding a control character (an
// escape sequence pasted from a terminal) or a bidirectional override no
// longer makes the converter fail with a flow that does not load: the
// character is removed and the cell named for the author to check.
func TestControlCharactersRemoved(t *testing.T) {
	survey := &Sheet{Name: "survey", Columns: []string{"type", "name", "label"}}
	for i, r := range [][]string{
		{"text", "city", "Which \x1b[31mcity\x1b[0m?"},
		{"integer", "a\x03ge", "How old are you?\r\nIn years."},
		{"note", "n", "\u202eevil"},
	} {
		survey.Rows = append(survey.Rows, Row{N: i + 2, Cells: r})
	}
	res, err := Convert("form.xlsx", &Workbook{Sheets: map[string]*Sheet{"survey": survey}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := questionnaire.Load("form.yaml", res.YAML); err != nil {
		t.Fatalf("the converted flow does not load: %v", err)
	}
	if bytes.ContainsAny(res.YAML, "\x1b\x03\r\u202e") {
		t.Fatalf("a control character reached the flow:\n%s", res.YAML)
	}
	var rows []string
	for _, is := range res.Issues {
		if strings.Contains(is.Message, "control character") {
			rows = append(rows, fmt.Sprintf("%d %s", is.Row, is.Column))
		}
	}
	if want := []string{"2 C (label)", "3 B (name)", "4 C (label)"}; !slices.Equal(rows, want) {
		t.Fatalf("cells named %q, want %q (a carriage return alone is no issue)", rows, want)
	}
}
