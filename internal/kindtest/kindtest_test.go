package kindtest

import (
	"testing"

	"fieldscreen/questionnaire"
)

// TestRowsVisitsEveryKind: each kind with a row is checked once, with its
// own example question.
func TestRowsVisitsEveryKind(t *testing.T) {
	table := map[questionnaire.Kind]int{}
	for i, k := range questionnaire.Kinds() {
		table[k] = i
	}
	seen := map[questionnaire.Kind]int{}
	Rows(t, table, "a table", "a row", func(k questionnaire.Kind, row int, f *questionnaire.Flow, q *questionnaire.Question) {
		seen[k]++
		if q == nil || f == nil || q.Type != k || questionnaire.Kinds()[row] != k {
			t.Errorf("kind %q: row %d, question %+v", k, row, q)
		}
	})
	if len(seen) != len(questionnaire.Kinds()) {
		t.Errorf("visited %v, want every kind of %v", seen, questionnaire.Kinds())
	}
	for k, n := range seen {
		if n != 1 {
			t.Errorf("kind %q visited %d times", k, n)
		}
	}
}
