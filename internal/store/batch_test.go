package store

import (
	"reflect"
	"testing"

	"fieldscreen/internal/record"
)

func TestPutMany(t *testing.T) {
	s := newTestStore(t)
	var ivs []*record.Interview
	for range 50 {
		ivs = append(ivs, sampleInterview(t, 5))
	}
	ivs[3].ID = "" // gets a fresh one
	if err := s.PutMany(ivs); err != nil {
		t.Fatal(err)
	}
	es, err := s.List("")
	if err != nil || len(es) != len(ivs) {
		t.Fatalf("List: %d entries, %v", len(es), err)
	}
	for _, iv := range ivs {
		got, err := s.Get(iv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, iv) {
			t.Fatalf("interview %s read back differs", iv.ID)
		}
	}
}

func TestPutManyAllOrNothing(t *testing.T) {
	s := newTestStore(t)
	ivs := []*record.Interview{sampleInterview(t, 2), sampleInterview(t, 2)}
	ivs[1].Status = "bogus"
	if err := s.PutMany(ivs); err == nil {
		t.Fatal("PutMany took an invalid interview")
	}
	if es, _ := s.List(""); len(es) != 0 {
		t.Fatalf("%d interviews stored after a failed PutMany", len(es))
	}
}
