package session

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"fieldscreen/internal/record"
	"fieldscreen/questionnaire"
)

const moveOld = `id: shelter
version: "1"
default_language: en
title: Shelter
sections:
  - id: s
    title: S
    questions:
      - {id: consent, type: yes_no, required: true, label: Consent}
      - {id: age, type: integer, label: Age}
      - id: slept
        type: choice
        label: Slept
        choices: [{value: street, label: Street}, {value: shelter, label: Shelter}, {value: friends, label: Friends}]
      - {id: where, type: text, label: Where, relevant: slept == "street"}
      - id: needs
        type: multi
        label: Needs
        choices: [{value: food, label: Food}, {value: bed, label: Bed}]
      - {id: phone, type: text, label: Phone}
`

// Version 2: phone removed, the shelter choice removed, where asked only
// of children, age must be under 120 and needs lists bed first.
const moveNew = `id: shelter
version: "2"
default_language: en
title: Shelter
sections:
  - id: s
    title: S
    questions:
      - {id: consent, type: yes_no, required: true, label: Consent}
      - {id: age, type: integer, label: Age, max: 119}
      - id: slept
        type: choice
        label: Slept
        choices: [{value: street, label: Street}, {value: friends, label: Friends}]
      - {id: where, type: text, label: Where, relevant: slept == "street" and real(age) and age < 18}
      - id: needs
        type: multi
        label: Needs
        choices: [{value: bed, label: Bed}, {value: food, label: Food}]
`

func loadYAML(t *testing.T, src string) *questionnaire.Flow {
	t.Helper()
	f, err := questionnaire.Load("flow.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func draftOn(t *testing.T, f *questionnaire.Flow, answers []qa) *record.Interview {
	t.Helper()
	now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	iv, err := Begin(f, "A. Officer", "LOC", "en", now)
	if err != nil {
		t.Fatal(err)
	}
	answerAll(t, iv, f, now, answers)
	return iv
}

func TestMoveListsWhatNoLongerFits(t *testing.T) {
	old, nw := loadYAML(t, moveOld), loadYAML(t, moveNew)
	iv := draftOn(t, old, []qa{{"consent", "yes"}, {"age", 30}, {"slept", "street"}, {"where", "by the station"}, {"needs", []string{"food", "bed"}}, {"phone", "555"}})
	before := len(iv.Audit)
	plan, err := PlanMove(iv, nw)
	if err != nil {
		t.Fatal(err)
	}
	want := []Misfit{{"where", MisfitCondition}, {"phone", MisfitRemoved}}
	if !reflect.DeepEqual(plan, want) {
		t.Fatalf("PlanMove = %+v, want %+v", plan, want)
	}
	if len(iv.Audit) != before || iv.FlowVersion != "1" {
		t.Fatal("PlanMove changed the draft")
	}
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	got, err := Move(iv, nw, "B. Officer", now)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("Move = %+v, %v", got, err)
	}
	if iv.FlowVersion != "2" || iv.FlowHash != nw.Hash {
		t.Errorf("flow %s %s after the move", iv.FlowVersion, iv.FlowHash)
	}
	if _, ok := iv.Answer("phone"); ok {
		t.Error("the removed question's answer is still there")
	}
	if len(iv.SetAside) != 1 || iv.SetAside[0].QuestionID != "where" {
		t.Errorf("set aside: %+v, want where (its condition may hold again)", iv.SetAside)
	}
	if v, _ := iv.Answer("needs"); !reflect.DeepEqual(v.Value, []any{"bed", "food"}) && !reflect.DeepEqual(v.Value, []string{"bed", "food"}) {
		t.Errorf("needs = %#v, want the new flow's order", v.Value)
	}
	// The audit trail names the flows and the questions, never a value.
	var trail []string
	for _, e := range iv.Audit[before:] {
		trail = append(trail, string(e.Event)+":"+e.QuestionID+":"+e.Detail)
		for _, secret := range []string{"station", "555"} {
			if strings.Contains(e.Detail, secret) {
				t.Errorf("audit detail holds an answer: %s", e.Detail)
			}
		}
	}
	wantTrail := []string{
		"flow_changed::from shelter 1 (" + old.Hash + ") to shelter 2 (" + nw.Hash + ")",
		"dropped:where:moved to flow shelter 2: condition no longer met; " + record.SetAsideDetail,
		"dropped:phone:moved to flow shelter 2: question removed; erased",
	}
	if !reflect.DeepEqual(trail, wantTrail) {
		t.Errorf("audit trail:\n%s\nwant:\n%s", strings.Join(trail, "\n"), strings.Join(wantTrail, "\n"))
	}
	// A child on the street is asked where again: the answer comes back.
	if _, err := Answer(iv, nw, "age", 15, now); err != nil {
		t.Fatal(err)
	}
	if a, ok := iv.Answer("where"); !ok || a.Value != "by the station" {
		t.Errorf("where = %+v, %v after the condition holds again", a, ok)
	}
}

func TestMoveChoiceAndAnswerNoLongerAccepted(t *testing.T) {
	old, nw := loadYAML(t, moveOld), loadYAML(t, moveNew)
	iv := draftOn(t, old, []qa{{"consent", "yes"}, {"age", 130}, {"slept", "shelter"}})
	got, err := Move(iv, nw, "A. Officer", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	want := []Misfit{{"age", MisfitAnswer}, {"slept", MisfitChoice}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Move = %+v, want %+v", got, want)
	}
	if len(iv.Answers) != 1 || iv.SetAside != nil {
		t.Errorf("answers %+v, set aside %+v: only consent stays", iv.Answers, iv.SetAside)
	}
	// Nothing misfits: the move is recorded all the same.
	iv = draftOn(t, old, []qa{{"consent", "yes"}, {"slept", "friends"}})
	if got, err := Move(iv, nw, "A. Officer", time.Now()); err != nil || len(got) != 0 {
		t.Errorf("Move = %+v, %v", got, err)
	}
	if e := iv.Audit[len(iv.Audit)-1]; e.Event != record.EventFlowChanged {
		t.Errorf("last event %+v", e)
	}
	iv.Status = record.StatusCompleted
	if _, err := Move(iv, old, "A. Officer", time.Now()); err == nil {
		t.Error("a completed interview moved")
	}
}
