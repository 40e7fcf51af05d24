package bundle

import (
	"testing"

	"fieldscreen/internal/record"
	"fieldscreen/questionnaire"
)

// For lineappend_ext_test.go, which needs internal/synth (and synth
// imports this package).

// FromStore lays out a stored interview as an export does.
func FromStore(iv *record.Interview, f *questionnaire.Flow) (*Interview, error) {
	return fromStore(iv, f, nil)
}

// SameAsEncodingJSON is sameAsEncodingJSON.
func SameAsEncodingJSON(t testing.TB, iv *Interview) bool { return sameAsEncodingJSON(t, iv) }
