package wire

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestAppendCanonical(t *testing.T) {
	for _, in := range []string{`{"a": "x<y>&z", "b" : [1, 2, "\u00e9\/\n"], "c":"é", "d":"\u2028", "e":"\t", "f":"a\"b\\c"}`, `{"a":"plain"}`, "{\"s\":\"\xff\"}"} {
		got, err := AppendCanonical(nil, []byte(in))
		if err != nil {
			t.Fatal(err)
		}
		var v any
		json.Unmarshal([]byte(in), &v)
		want, _ := json.Marshal(v)
		// map keys sorted by Marshal; inputs are in sorted order
		if !bytes.Equal(got, want) {
			t.Errorf("\n got %s\nwant %s", got, want)
		}
	}
}
