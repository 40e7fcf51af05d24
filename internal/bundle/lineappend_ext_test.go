package bundle_test

import (
	"testing"

	"fieldscreen/internal/bundle"
	"fieldscreen/internal/synth"
	"fieldscreen/questionnaire"
)

// TestAppendLineMatchesEncodingJSON: synthetic interviews of every path
// through the built-in flow, laid out as an export lays them out, are
// written by appendLine (none handed back) exactly as encoding/json
// writes them.
func TestAppendLineMatchesEncodingJSON(t *testing.T) {
	f, err := questionnaire.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	g := synth.New(f, 7)
	n := 2000
	if testing.Short() {
		n = 200
	}
	for i := 0; i < n; i++ {
		rec, err := g.Interview(i)
		if err != nil {
			t.Fatal(err)
		}
		iv, err := bundle.FromStore(rec, f)
		if err != nil {
			t.Fatal(err)
		}
		if !bundle.SameAsEncodingJSON(t, iv) {
			t.Fatalf("appendLine handed back synthetic interview %d", i)
		}
	}
}
