package store

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

var fuzzKey = bytes.Repeat([]byte{0x42}, KeySize)

var updateSeeds = flag.Bool("update-seeds", false, "rewrite testdata/fuzz/FuzzOpenRecord seeds")

// FuzzOpenRecord feeds arbitrary bytes to every decoder of what is read
// from a store file: as a sealed record, as a record's plaintext, and as a
// key slot. None may panic; what decodes must encode and decode again.
func FuzzOpenRecord(f *testing.F) {
	for _, seed := range fuzzSeeds(f) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if pt, err := OpenRecord(fuzzKey, bucketInterviews, []byte("k"), data); err == nil {
			decodeInterview(pt)
		}
		sealed, err := SealRecord(fuzzKey, bucketInterviews, []byte("k"), data)
		if err != nil {
			t.Fatal(err)
		}
		if pt, err := OpenRecord(fuzzKey, bucketInterviews, []byte("k"), sealed); err != nil || !bytes.Equal(pt, data) {
			t.Fatalf("seal/open round trip failed: %v", err)
		}
		if _, err := OpenRecord(fuzzKey, bucketIndex, []byte("k"), sealed); err == nil {
			t.Fatal("record opened in another bucket")
		}
		if iv, err := decodeInterview(data); err == nil {
			// Binary or JSON, what decodes can be exported as JSON.
			js, err := json.Marshal(iv)
			if err != nil {
				t.Fatalf("decoded interview does not encode: %v", err)
			}
			if _, err := decodeInterview(js); err != nil {
				t.Fatalf("re-encoded interview does not decode: %v", err)
			}
		}
		decodeSlot(make([]byte, slotIDSize), data)
	})
}

func fuzzSeeds(t testing.TB) [][]byte {
	iv := sampleInterview(t, 6)
	js, _ := json.Marshal(iv)
	sealed, _ := SealRecord(fuzzKey, bucketInterviews, []byte("k"), js)
	bin, _ := encodeInterviewBinary(iv)
	sl, _ := newSlot(make([]byte, slotIDSize), []byte("p"), fuzzKey, kdfParams{Time: 1, MemoryKiB: 8, Threads: 1})
	return [][]byte{
		js, sealed, sl.encode(), nil,
		[]byte(`{"interview_id":"x","answers":[{"question_id":"a","value":1e300}]}`),
		[]byte(`{"answers":[{"question_id":"a","value":[1,2]},{"value":{"x":1}}]}`),
		bin,
	}
}

// TestWriteFuzzSeeds keeps the checked-in corpus in step with the format.
func TestWriteFuzzSeeds(t *testing.T) {
	if !*updateSeeds {
		t.Skip("run with -update-seeds")
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzOpenRecord")
	for i, seed := range fuzzSeeds(t) {
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", seed)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("seed%d", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
