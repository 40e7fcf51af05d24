package xlsform

import (
	"testing"

	"fieldscreen/questionnaire"
)

// FuzzConvert puts any text in a form's cells: the converter never
// crashes, and what it writes always loads (its promise to the author).
func FuzzConvert(f *testing.F) {
	f.Add("integer", "age", "${consent} = 'yes'", ". >= 0", "yes", "label::French (fr)")
	f.Add("select_one yn", "Q-1", "selected(${consent}, 'no') or count-selected(${needs}) > 1", "not(.)", "true()", "label")
	f.Add("begin_group", "g", "${age} = ''", "", "", "hint::Español (es)")
	f.Fuzz(func(t *testing.T, typ, name, relevant, constraint, required, column string) {
		survey := &Sheet{Name: "survey", Columns: []string{"type", "name", "label", "relevant", "constraint", "required", column}}
		rows := [][]string{
			{"select_one yn", "consent", "Consent?", "", "", "yes", "x"},
			{"select_multiple needs", "needs", "Needs?", "", "", "", ""},
			{typ, name, "A question", relevant, constraint, required, "y"},
			{"integer", "later", "Later", relevant, constraint, required, ""},
			{"end_group"},
		}
		for i, r := range rows {
			survey.Rows = append(survey.Rows, Row{N: i + 2, Cells: r})
		}
		choices := &Sheet{Name: "choices", Columns: []string{"list_name", "name", "label", column}}
		for i, r := range [][]string{{"yn", "yes", "Yes", ""}, {"yn", "no", "No", "Non"}, {"needs", name, "Thing", ""}, {"needs", "none", "None", ""}} {
			choices.Rows = append(choices.Rows, Row{N: i + 2, Cells: r})
		}
		wb := &Workbook{Sheets: map[string]*Sheet{"survey": survey, "choices": choices}}
		res, err := Convert("fuzz.xlsx", wb)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := questionnaire.Load("fuzz.yaml", res.YAML); err != nil {
			t.Fatalf("the converted flow does not load:\n%v\n%s", err, res.YAML)
		}
	})
}
