package xlsform

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The XLSForms the tests convert, written as ODK's and KoboToolbox's
// examples are: a survey, a choices and a settings sheet. makeXLSX turns
// one into a real .xlsx; TestCommittedForms keeps the copies in
// testdata/xlsform (for the command's script test and for authors to
// try) equal to these.

type form struct {
	name   string
	sheets []sheetData
}

type sheetData struct {
	name string
	rows [][]string
}

var forms = []form{
	{"shelter-intake", []sheetData{
		{"survey", [][]string{
			{"type", "name", "label", "hint", "required", "relevant", "constraint", "constraint_message", "appearance"},
			{"start", "start"},
			{"end", "end"},
			{"select_one yes_no", "consent", "Do you agree to answer a few questions?", "Read the consent statement first.", "yes"},
			{"integer", "age", "How old are you?", "A best guess is fine.", "", "${consent} = 'yes'", ". >= 0 and . <= 120", "Give an age between 0 and 120."},
			{"select_one yes_no_dk", "may_be_child", "Could the person be under 18?", "Do not read aloud.", "", "${consent} = 'yes' and ${age} = ''"},
			{"select_one place", "slept", "Where did you sleep last night?", "", "yes", "${consent} = 'yes'"},
			{"select_multiple needs", "needs", "What do you need today?", "", "", "${consent} = 'yes'", "not(selected(., 'none') and count-selected(.) > 1)", "\"None of these\" goes alone."},
			{"begin_group", "work", "Work", "", "", "${slept} = 'workplace'", "", "", "field-list"},
			{"select_multiple control", "control", "At work, has anyone done any of these?"},
			{"select_one yes_no_dk", "free_to_leave", "Can you leave that work if you want to?"},
			{"integer", "hours", "How many hours a day do you work?", "", "", "count-selected(${control}) >= 1", ". <= 24", "A day has 24 hours."},
			{"end_group"},
			{"note", "thanks", "Thank the person and explain what happens next."},
		}},
		{"choices", [][]string{
			{"list_name", "name", "label"},
			{"yes_no", "yes", "Yes"},
			{"yes_no", "no", "No"},
			{"yes_no_dk", "yes", "Yes"},
			{"yes_no_dk", "no", "No"},
			{"yes_no_dk", "dont_know", "Don't know"},
			{"place", "street", "Outside"},
			{"place", "friends", "With friends or family"},
			{"place", "workplace", "At the place of work"},
			{"needs", "food", "Food"},
			{"needs", "bed", "A bed"},
			{"needs", "doctor", "A doctor"},
			{"needs", "none", "None of these"},
			{"control", "threats", "Threatened you"},
			{"control", "documents", "Kept your documents"},
			{"control", "unpaid", "Did not pay you"},
		}},
		{"settings", [][]string{
			{"form_title", "form_id", "version"},
			{"Shelter intake", "shelter_intake", "2026110101"},
		}},
	}},
	{"protection-bilingual", []sheetData{
		{"survey", [][]string{
			{"type", "name", "label::English (en)", "label::French (fr)", "hint::English (en)", "hint::French (fr)", "required", "relevant", "constraint", "constraint_message::English (en)", "constraint_message::French (fr)"},
			{"select_one yn", "consent", "Do you agree to answer?", "Acceptez-vous de répondre ?", "", "", "true()"},
			{"begin group", "about", "About you", "À propos de vous", "", "", "", "${consent} = 'yes'"},
			{"integer", "Age-Years", "How old are you?", "Quel âge avez-vous ?", "Best guess", "Une estimation", "", "", ". < 120", "Too old", "Trop âgé"},
			{"select_one country", "country", "Which country are you from?", "De quel pays venez-vous ?"},
			{"text", "town", "Which town?", "Quelle ville ?", "", "", "", "${country} != 'other' and ${country} != ''"},
			{"begin group", "child", "Children", "Enfants", "", "", "", "${Age-Years} < 18 or not(${Age-Years} >= 0)"},
			{"select_one yn", "alone", "Are you here alone?", "Êtes-vous ici seul(e) ?"},
			{"end group"},
			{"select_multiple fear", "fear", "What do you fear if you go back?", "Que craignez-vous en cas de retour ?"},
			{"note", "fear_note", "Listen; do not press for details.", "Écoutez ; n'insistez pas.", "", "", "", "count-selected(${fear}) > 0 and not(selected(${fear}, 'nothing'))"},
			{"end group"},
			{"integer", "count", "How many people travel with you?", "Combien de personnes voyagent avec vous ?", "", "", "", "${consent} = 'yes'", ". >= 0", "Zero or more", "Zéro ou plus"},
		}},
		{"choices", [][]string{
			{"list_name", "name", "label::English (en)", "label::French (fr)"},
			{"yn", "yes", "Yes", "Oui"},
			{"yn", "no", "No", "Non"},
			{"country", "ua", "Ukraine", "Ukraine"},
			{"country", "sy", "Syria", "Syrie"},
			{"country", "other", "Another country", "Un autre pays"},
			{"fear", "harm", "Harm to me", "Qu'on me fasse du mal"},
			{"fear", "arrest", "Arrest", "Une arrestation"},
			{"fear", "traffickers", "The people who brought me", ""},
			{"fear", "nothing", "Nothing", "Rien"},
		}},
		{"settings", [][]string{
			{"form_title", "form_id", "default_language"},
			{"Protection screening", "protection", "English (en)"},
		}},
	}},
	{"broken", []sheetData{
		{"survey", [][]string{
			{"type", "name", "label", "required", "relevant", "constraint"},
			{"select_one yn", "consent", "Do you agree?", "yes"},
			{"geopoint", "where", "Where are we?"},
			{"decimal", "weight", "Weight?"},
			{"select_one colours", "colour", "Favourite colour?"},
			{"text", "name_given", "A name for the record?", "", "${consent} = 'yes' and jr:choice-name(${consent}, 'yn') != ''"},
			{"text", "name_given", "The same name again?"},
			{"integer", "age", "Age?", "", "${consent} = 'maybe'", ". >= "},
			{"calculate", "is_adult", "", "", "", ""},
			{"text", "later", "Depends on a later one", "", "${after} = 'yes'"},
			{"begin_repeat", "people", "Each person"},
			{"text", "person_name", "Name?"},
			{"end_repeat"},
			{"select_one yn", "after", "After?", "${age} > 18"},
			{"integer", "kids", "Children?", "", "${person_name} != ''", "string-length(.) < 3"},
			{"frobnicate", "odd", "What is this?"},
		}},
		{"choices", [][]string{
			{"list_name", "name", "label"},
			{"yn", "yes", "Yes"},
			{"yn", "no", "No"},
			{"yn", "no", "No again"},
		}},
	}},
}

func formByName(name string) form {
	for _, f := range forms {
		if f.name == name {
			return f
		}
	}
	panic("no form " + name)
}

// makeXLSX writes f as an .xlsx workbook.
func makeXLSX(t testing.TB, f form) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	for i, s := range f.sheets {
		if i == 0 {
			if err := x.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := x.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			cells := make([]any, len(row))
			for i, v := range row {
				cells[i] = v
			}
			if err := x.SetSheetRow(s.name, fmt.Sprintf("A%d", r+1), &cells); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if _, err := x.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
