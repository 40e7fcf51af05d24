package wire

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// Fuzzing the byte-level readers of outside input: whatever the bytes,
// they never panic, and what they return agrees with encoding/json.

// seedLine is one interview as package bundle writes it.
const seedLine = `{"interview_id":"0193a2f0-0000-7000-8000-000000000001","flow":{"id":"f","version":"1.0","hash":"sha256:00"},"status":"completed","interviewer":"A. O\u003c","location":"LOC","language":"en","created_at":"2025-01-01T00:00:00Z","updated_at":"2025-01-01T00:00:00Z","completed_at":null,"consent":{"given":true,"at":"2025-01-01T00:00:00Z","language":"en"},"answers":[{"id":"consent","label":"Agree?","value":"yes","answered_at":"2025-01-01T00:00:00Z"},{"id":"age","label":"Age","value":34,"answered_at":"2025-01-01T00:00:00Z"},{"id":"needs","label":"Needs","value":["a","b"],"answered_at":"2025-01-01T00:00:00Z"},{"id":"n","label":"N","value":null,"answered_at":"2025-01-01T00:00:00Z"}],"summary":{"outcome":"x","referrals":[{"id":"r","n":[1,2.5e3,{"z":null}]}]},"audit":[{"at":"2025-01-01T00:00:00Z","event":"created"},{"at":"2025-01-01T00:00:00Z","event":"answered","question_id":"age","interviewer":"B","detail":"d"}]}`

func FuzzAppendCanonical(f *testing.F) {
	for _, s := range []string{seedLine, `{"a": "x<y>&z", "b" : [1, 2, "\u00e9\/\n"]}`, "{\"s\":\"\xff\"}", `[ ]`, `"\u2028"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !json.Valid(raw) {
			return // AppendCanonical is given what a decoder has read
		}
		got, err := AppendCanonical(nil, raw)
		if err != nil {
			t.Fatalf("valid JSON refused: %v", err)
		}
		if !json.Valid(got) {
			t.Fatalf("canonical form is not JSON: %q", got)
		}
		again, err := AppendCanonical(nil, got)
		if err != nil || !bytes.Equal(again, got) {
			t.Fatalf("not idempotent: %q then %q (%v)", got, again, err)
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, got); err != nil || compact.Len() != len(got) {
			t.Fatalf("whitespace left in %q", got)
		}
		if a, b := decode(t, raw), decode(t, got); !reflect.DeepEqual(a, b) {
			t.Fatalf("canonical form changes the value: %v, %v", a, b)
		}
	})
}

func decode(t *testing.T, b []byte) any {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func FuzzScanInterview(f *testing.F) {
	f.Add([]byte(seedLine))
	f.Add([]byte(" " + seedLine + "\n"))
	f.Add([]byte(`{"interview_id":"x","answers":[{"id":"a","value":1},{"id":"a","value":2}]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		sc, ok := ScanInterview(raw)
		if !ok {
			return // the full decode decides
		}
		// What the scanner takes, encoding/json takes too, with the same
		// values.
		if !json.Valid(raw) {
			t.Fatalf("scanned invalid JSON: %q", raw)
		}
		var full struct {
			InterviewID string `json:"interview_id"`
			Flow        struct{ ID, Version, Hash string }
			Status      string
			Language    string
			Answers     []struct {
				ID    string
				Value any
			}
		}
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		if err := d.Decode(&full); err != nil {
			t.Fatalf("scanned what does not decode: %v", err)
		}
		if full.InterviewID != sc.InterviewID || full.Status != sc.Status || full.Language != sc.Language ||
			full.Flow.ID != sc.Flow.ID || full.Flow.Version != sc.Flow.Version || full.Flow.Hash != sc.Flow.Hash {
			t.Fatalf("scanned %+v, decoded %+v", sc, full)
		}
		if len(full.Answers) != sc.AnswerCount {
			t.Fatalf("scanned %d answers, decoded %d", sc.AnswerCount, len(full.Answers))
		}
		for _, a := range full.Answers {
			v, ok := sc.Answers[a.ID]
			if !ok {
				t.Fatalf("answer %q not scanned", a.ID)
			}
			want := a.Value
			if n, isNum := want.(json.Number); isNum {
				i, err := n.Int64()
				if err != nil {
					t.Fatalf("answer %q: scanned %v, decoded %s", a.ID, v, n)
				}
				want = int(i)
			}
			if sc.AnswerCount == len(sc.Answers) && string(mustJSON(v)) != string(mustJSON(want)) {
				t.Fatalf("answer %q: scanned %s, decoded %s", a.ID, mustJSON(v), mustJSON(want))
			}
		}
	})
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
