package htcds

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"fieldscreen/questionnaire"
)

func TestISOList(t *testing.T) {
	if len(iso3166) != 249 {
		t.Errorf("%d ISO 3166-1 alpha-2 codes, want 249", len(iso3166))
	}
	if c, ok := CountryCode(" ng "); !ok || c != "NG" {
		t.Errorf("CountryCode(ng) = %s %v", c, ok)
	}
	if _, ok := CountryCode("Nigeria"); ok {
		t.Error("a name taken as a code")
	}
}

func TestBuiltinMappingFitsTheFlow(t *testing.T) {
	m, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	f, err := questionnaire.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if err := m.CheckFlow(f); err != nil {
		t.Fatal(err)
	}
	// Interviews taken with 1.0.0 too: it lacks some questions (their
	// columns stay empty) but has no choice the mapping does not know.
	if err := m.CheckFlow(questionnaire.BuiltinVersions()...); err != nil {
		t.Fatal(err)
	}
}

func score(t *testing.T, ans questionnaire.Answers) *questionnaire.Summary {
	t.Helper()
	f, err := questionnaire.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.Score(ans)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// rows writes interviews and reads the CSV back, checking every head and
// every value against the standard's field list.
func rows(t *testing.T, ivs []Interview) ([]string, [][]string, string) {
	t.Helper()
	m, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	w, err := NewWriter(&out, m, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	for _, iv := range ivs {
		if err := w.Write(iv); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(out.Bytes())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := recs[0]
	for i, name := range head {
		f, std := Lookup(name)
		if !std {
			if !Extension(name) {
				t.Errorf("column %s is neither an HTCDS 2.0 field nor an x_ extension", name)
			}
			continue
		}
		for _, rec := range recs[1:] {
			if rec[i] == "" {
				continue
			}
			vals := []string{rec[i]}
			if f.Multi {
				vals = strings.Split(rec[i], ";")
			}
			if len(vals) > 1 && !f.Multi {
				t.Errorf("%s holds several values: %s", name, rec[i])
			}
			for _, v := range vals {
				if !f.Allows(v) {
					t.Errorf("%s = %q, not in the standard's picklist", name, v)
				}
			}
		}
	}
	var rep bytes.Buffer
	if err := w.FieldReport(&rep); err != nil {
		t.Fatal(err)
	}
	return head, recs[1:], rep.String()
}

func col(head, rec []string, name string) string {
	for i, h := range head {
		if h == name {
			return rec[i]
		}
	}
	return "<no column " + name + ">"
}

func TestRowOfAKnownInterview(t *testing.T) {
	ans := questionnaire.Answers{
		"consent": "yes", "interview_private": "yes", "immediate_danger": "no", "urgent_medical_need": "no",
		"age": 24, "may_be_child": "no", "gender": "other", "country_of_origin": "ng", "has_nationality": "yes",
		"present_in": "destination_country", "fled_conflict_or_violence": "no", "armed_group_association": "no",
		"ever_exploited": "yes", "trafficking_act": []string{"recruited", "transported"},
		"trafficking_means": []string{"deception", "abduction"}, "exploitation": []string{"domestic_servitude", "forced_labour"},
		"exploitation_where": "abroad", "under_18_at_start": "no", "labour_indicators": []string{"retention_of_documents", "debt_bondage"},
		"family_involved": "no", "still_under_control": "no",
	}
	sum := score(t, ans)
	id := "0190c3e2-5f1a-7b2c-8d3e-4f5a6b7c8d9e"
	head, recs, rep := rows(t, []Interview{{ID: id, Answers: ans, Summary: sum, Completed: time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)}})
	if len(recs) != 1 {
		t.Fatalf("%d rows", len(recs))
	}
	r := recs[0]
	want := map[string]string{
		"x_CaseRef":                      Ref(id),
		"vic_TraffickingStatus":          "PossibleVictimOfTrafficking",
		"prs_Gender":                     "NonSpecifiedUnknown",
		"x_AgeBand":                      "24-26",
		"x_Under18WhenExploitationBegan": "false",
		"prs_Citizenship":                "NG",
		"vic_TypeOfExploitation":         "Servitude;ForcedLabour",
		"vic_MethodsOfControl":           "FalsePromises;Other;WithholdsDocuments;DebtBondage",
		"vic_RelationshipToTrafficker":   "",
		"cas_ReasonForOutgoingReferral":  "AdditionalServicesRequired",
		"x_ScreeningMonth":               "2026-03",
		"x_Outcome":                      sum.GetString("outcome"),
	}
	for k, v := range want {
		if got := col(head, r, k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	line := strings.Join(r, ",")
	if strings.Contains(line, id) || strings.Contains(line, "24,") && col(head, r, "x_AgeBand") != "24-26" {
		t.Errorf("row carries the ID or the exact age: %s", line)
	}
	for _, s := range []string{"prs_Gender: 1 filled, 0 empty, 1 coarsened", "prs_Birthdate: always empty", "vic_MethodOfRecruitment: always empty", "vic_TypeOfExploitation: 1 filled, 0 empty, 1 coarsened"} {
		if !strings.Contains(rep, s) {
			t.Errorf("field report lacks %q:\n%s", s, rep)
		}
	}
}

// Free text never leaves: a country of origin that is no code stays out,
// and the report says so.
func TestFreeTextStaysOut(t *testing.T) {
	// Hand-made rather than internal/synth's: synth imports bundle, which
	// imports this package.
	var ivs []Interview
	for i, country := range []string{"Nigeria", "Eritrea", "Syria", "er", "SY"} {
		ans := questionnaire.Answers{"consent": "yes", "interview_private": "yes", "age": 20 + i, "may_be_child": "no",
			"gender": "female", "country_of_origin": country, "has_nationality": "yes", "present_in": "transit_country",
			"ever_exploited": "no"}
		ivs = append(ivs, Interview{ID: fmt.Sprintf("0190c3e2-5f1a-7b2c-8d3e-4f5a6b7c8d9%d", i), Answers: ans, Summary: score(t, ans)})
	}
	head, recs, rep := rows(t, ivs)
	for _, rec := range recs {
		for i, v := range rec {
			for _, iv := range ivs {
				if strings.Contains(v, iv.ID) {
					t.Errorf("%s carries an interview ID", head[i])
				}
			}
			for _, country := range []string{"Nigeria", "Eritrea", "Syria"} {
				if strings.Contains(v, country) {
					t.Errorf("%s carries free text %q", head[i], v)
				}
			}
		}
	}
	if got := []string{col(head, recs[3], "prs_Citizenship"), col(head, recs[4], "prs_Citizenship")}; got[0] != "ER" || got[1] != "SY" {
		t.Errorf("codes written as %v, want ER SY", got)
	}
	if !strings.Contains(rep, "3 left empty for not being an ISO 3166 code") {
		t.Errorf("report does not say why citizenship is empty:\n%s", rep)
	}
}

func TestLoadRefusesWhatIsNotHTCDS(t *testing.T) {
	for src, want := range map[string]string{
		"flow: f\nid_field: x_Ref\ncolumns:\n  - field: prs_Colour\n    finding: outcome\n":                         ":4: column prs_Colour: not an HTCDS 2.0 field",
		"flow: f\nid_field: x_Ref\ncolumns:\n  - field: prs_Gender\n    answer: [g]\n    map: {f: Female}\n":        `"Female" is not one of the field's values`,
		"flow: f\nid_field: x_Ref\ncolumns:\n  - field: x_A\n    finding: outcome\n    referral: r\n    value: v\n": "needs exactly one of",
		"flow: f\nid_field: CaseID\n":             "id_field \"CaseID\" must be an x_ extension",
		"flow: f\nid_field: x_Ref\ncolour: red\n": "field colour not found",
	} {
		_, err := Load("m.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Load(%q) = %v, want %q", src, err, want)
		}
	}
}

// A choice the mapping does not name is refused against the flow.
func TestCheckFlowWantsEveryChoice(t *testing.T) {
	m, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for i := range m.Columns {
		if m.Columns[i].Field == "vic_TypeOfExploitation" {
			delete(m.Columns[i].Map, "organ_removal")
		}
	}
	f, _ := questionnaire.Builtin()
	if err := m.CheckFlow(f); err == nil || !strings.Contains(err.Error(), `choice "organ_removal" of question exploitation (flow 2.0.0) is not mapped`) {
		t.Errorf("CheckFlow = %v", err)
	}
}
