package bundle

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"fieldscreen/internal/record"
	"fieldscreen/internal/session"
)

// TestImportCheckRescoresOnlyWhatChanged: an export's check takes a
// summary as checked without rescoring only when the interview decoded
// from the bundle is scored from exactly what the writer scored. An
// answer the encoding changed (a byte that is not UTF-8, kept by an older
// version) makes that interview's summary rescored, and the bundle still
// imports.
func TestImportCheckRescoresOnlyWhatChanged(t *testing.T) {
	st := newStore(t)
	f := builtin(t)
	at := time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)
	for i := range 4 {
		recordOne(t, st, f, examples[i%2], at.Add(time.Duration(i)*time.Minute), true)
	}
	path := filepath.Join(t.TempDir(), "clean.json")
	rep, err := Export(context.Background(), st, Selection{}, plainOpts(path))
	if err != nil {
		t.Fatal(err)
	}
	if rep.unrescored != 4 {
		t.Fatalf("clean export: %d of 4 summaries taken without rescoring, want 4", rep.unrescored)
	}

	n := 0
	src := &legacySource{Store: st, change: func(iv *record.Interview) {
		if n++; n == 6 { // pass 2's second interview
			session.SetAnswer(iv, "country_of_origin", "Espa\xf1a", iv.CreatedAt, "")
		}
	}}
	path = filepath.Join(t.TempDir(), "latin1.json")
	rep, err = Export(context.Background(), src, Selection{}, plainOpts(path))
	if err != nil {
		t.Fatalf("export with a Latin-1 answer: %v", err)
	}
	if rep.unrescored != 3 {
		t.Fatalf("export with one changed answer: %d of 4 taken without rescoring, want 3", rep.unrescored)
	}
	dst := newStore(t)
	ir, err := Import(context.Background(), dst, path, nil, "")
	if err != nil || len(ir.Added) != 4 {
		t.Fatalf("import: %v", err)
	}
}

func TestSameScoring(t *testing.T) {
	base := func() *Interview {
		return &Interview{
			InterviewID: "a", Status: "completed", Language: "en", Summary: []byte(`{"outcome":"x"}`),
			Answers: []Answer{{ID: "q1", Value: "yes"}, {ID: "q2", Value: []string{"a", "b"}}, {ID: "q3", Value: 3.0}},
		}
	}
	if !sameScoring(base(), base()) {
		t.Fatal("identical interviews differ")
	}
	for name, change := range map[string]func(iv *Interview){
		"id":          func(iv *Interview) { iv.InterviewID = "b" },
		"status":      func(iv *Interview) { iv.Status = "draft" },
		"language":    func(iv *Interview) { iv.Language = "fr" },
		"summary":     func(iv *Interview) { iv.Summary = []byte(`{"outcome":"y"}`) },
		"answer id":   func(iv *Interview) { iv.Answers[0].ID = "q9" },
		"answer":      func(iv *Interview) { iv.Answers[0].Value = "no" },
		"list":        func(iv *Interview) { iv.Answers[1].Value = []string{"b", "a"} },
		"number type": func(iv *Interview) { iv.Answers[2].Value = 3 },
		"one less":    func(iv *Interview) { iv.Answers = iv.Answers[:2] },
	} {
		b := base()
		change(b)
		if sameScoring(base(), b) {
			t.Errorf("%s changed, yet the same scoring", name)
		}
	}
}
