package store_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fieldscreen/internal/store"
)

// TestRecordSizesHideTheOutcome stores synthetic interviews of every
// outcome (consent refused, urgent referral, ...) and reads the sizes of
// their sealed records and index entries from the file: they must not
// tell the outcomes apart. It prints what the records measure before
// padding, which is what the size classes (sizes.go) are chosen from.
func TestRecordSizesHideTheOutcome(t *testing.T) {
	s, err := store.Create(filepath.Join(t.TempDir(), "s.db"), []byte("size classes"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ivs := synthInterviews(t, 1500)
	if err := s.PutMany(ivs); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(ivs))
	for i, iv := range ivs {
		ids[i] = iv.ID
	}
	sizes, err := store.RecordSizes(s, ids)
	if err != nil {
		t.Fatal(err)
	}
	type stat struct{ rec, entry, plain []int }
	by := map[string]*stat{}
	for _, iv := range ivs {
		k := iv.Outcome
		if iv.Consent != nil && !iv.Consent.Given {
			k = "consent refused: " + k
		}
		if by[k] == nil {
			by[k] = &stat{}
		}
		z := sizes[iv.ID]
		by[k].rec = append(by[k].rec, z[0])
		by[k].entry = append(by[k].entry, z[1])
		by[k].plain = append(by[k].plain, z[2])
	}
	if by["consent refused: not_screened"] == nil || by["urgent_referral"] == nil {
		t.Fatalf("test is broken: the synthetic interviews lack a refusal or an urgent referral: %v", keys(by))
	}
	recSizes, entrySizes := map[int]bool{}, map[int]bool{}
	for _, k := range keys(by) {
		st := by[k]
		slices.Sort(st.plain)
		t.Logf("%-35s n=%4d  sealed unpadded: min %4d, median %4d, max %4d  →  stored %v; index entry %v",
			k, len(st.plain), st.plain[0], st.plain[len(st.plain)/2], st.plain[len(st.plain)-1], distinct(st.rec), distinct(st.entry))
		for _, n := range st.rec {
			recSizes[n] = true
		}
		for _, n := range st.entry {
			entrySizes[n] = true
		}
	}
	if len(recSizes) != 1 || len(entrySizes) != 1 {
		t.Fatalf("record sizes tell outcomes apart: records %v, index entries %v", recSizes, entrySizes)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func distinct(ns []int) string {
	seen := map[int]bool{}
	var out []string
	for _, n := range ns {
		if !seen[n] {
			seen[n] = true
			out = append(out, fmt.Sprint(n))
		}
	}
	slices.Sort(out)
	return strings.Join(out, ",")
}

func TestSizeClasses(t *testing.T) {
	for _, tc := range []struct{ n, rec, entry int }{
		{1, 4048, 320}, {320, 4048, 320}, {321, 4048, 640}, {4048, 4048, 5120}, {4049, 8144, 5120},
		{65488, 65488, 66560}, {65489, 131024, 66560}, {200000, 262096, 204800},
	} {
		if got := store.InterviewClass(tc.n); got != tc.rec {
			t.Errorf("interview record of %d bytes: class %d, want %d", tc.n, got, tc.rec)
		}
		if got := store.EntryClass(tc.n); got != tc.entry {
			t.Errorf("index entry of %d bytes: class %d, want %d", tc.n, got, tc.entry)
		}
	}
}
