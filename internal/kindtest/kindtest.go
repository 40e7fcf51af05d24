// Package kindtest walks the question kinds for the tests of each layer's
// table keyed by kind (forms' kindForms, render's kindPrints): every kind
// in questionnaire.Kinds() must have a row, which the layer's test then
// checks against the kind's example question. Only tests import it.
package kindtest

import (
	"testing"

	"fieldscreen/questionnaire"
)

// Rows calls check with every kind's row in table and the kind's example
// (questionnaire.KindExample). A kind without a row is an error naming
// the table (name, as "forms' kindForms (internal/forms/kinds.go)") and
// what its row must say (must).
func Rows[R any](t *testing.T, table map[questionnaire.Kind]R, name, must string, check func(k questionnaire.Kind, row R, f *questionnaire.Flow, q *questionnaire.Question)) {
	t.Helper()
	for _, k := range questionnaire.Kinds() {
		row, ok := table[k]
		if !ok {
			t.Errorf("kind %q has no row in %s: %s", k, name, must)
			continue
		}
		f, q, err := questionnaire.KindExample(k)
		if err != nil {
			t.Fatal(err)
		}
		check(k, row, f, q)
	}
}
