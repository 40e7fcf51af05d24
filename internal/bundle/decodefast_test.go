package bundle

import (
	"bytes"
	"reflect"
	"testing"
)

// FuzzDecodeFastAgrees: whatever line decodeFast accepts, encoding/json
// accepts too and reads into the same values; what it refuses goes to
// encoding/json, so the bundle's reading is encoding/json's.
func FuzzDecodeFastAgrees(f *testing.F) {
	for _, s := range fuzzSeeds(f, false) {
		for _, line := range bytes.Split(s, []byte("\n")) {
			line = bytes.TrimSuffix(line, []byte(","))
			if bytes.HasPrefix(line, []byte(`{"interview_id"`)) {
				f.Add(line)
			}
		}
	}
	for _, s := range decodeFastSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var fast, std inInterview
		if !decodeFast(raw, &fast) {
			return
		}
		if _, err := decodeStd(raw, &std); err != nil {
			t.Fatalf("decodeFast read a line encoding/json refuses (%v): %q", err, raw)
		}
		if !reflect.DeepEqual(fast, std) {
			t.Fatalf("decodeFast read %+v, encoding/json %+v, from %q", fast, std, raw)
		}
	})
}

// decodeFastSeeds are lines where two JSON decoders may part ways.
var decodeFastSeeds = []string{
	`{"interview_id":"a","interview_id":"b"}`,                        // a repeated key: the last wins
	`{"Interview_ID":"a","STATUS":"completed"}`,                      // keys in another case
	`{"interview_id":"Jos` + "\xe9" + `"}`,                           // a byte that is not UTF-8
	`{"interview_id":"\ud800x\udc00\u0000"}`,                         // lone surrogates, NUL
	`{"interview_id":"a","extra":1}`,                                 // an unknown field
	`{"answers":[{"id":"q","value":1e400}]}`,                         // a number out of range
	`{"answers":[{"id":"q","value":{"a":[1,"x",null,true]},"x":1}]}`, // unknown field in an answer
	`{"answers":null,"audit":null,"summary":null,"consent":null}`,
	`{"created_at":"2025-01-01T00:00:00+25:00"}`, // a time out of range
	`{"completed_at":"2025-02-30T00:00:00Z"}`,    // a day that does not exist
	`{"flow":{"id":"x","version":1}}`,            // a wrong type
	`{"summary":{"a":1} }` + " \t\r\n",           // space around
	`{"summary":[1,2]} {"x":1}`,                  // a second value
	`{"position":"` + "\u2028" + `"}`,
	`{"interview_id":"a"`, // cut short
	`{"corrections":[{}],"audit":[{"at":"2025-01-01T00:00:00Z","event":"x","interviewer":null}]}`,
}

// TestDecodeFastMatchesRealLines: every interview line of real bundles
// is read by the fast decoder (not handed back), and as encoding/json
// reads it.
func TestDecodeFastMatchesRealLines(t *testing.T) {
	n := 0
	for _, s := range fuzzSeeds(t, false) {
		for _, line := range bytes.Split(s, []byte("\n")) {
			line = bytes.TrimSuffix(line, []byte(","))
			if !bytes.HasPrefix(line, []byte(`{"interview_id"`)) {
				continue
			}
			n++
			var fast, std inInterview
			if !decodeFast(line, &fast) {
				t.Fatalf("decodeFast handed back a real line: %.200q", line)
			}
			if _, err := decodeStd(line, &std); err != nil || !reflect.DeepEqual(fast, std) {
				t.Fatalf("decoders differ on a real line (%v)", err)
			}
		}
	}
	if n == 0 {
		t.Fatal("no interview lines in the seeds")
	}
}
