package bundle

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"fieldscreen/internal/record"
	"fieldscreen/internal/session"
	"fieldscreen/questionnaire"
)

// An interview exported and then corrected carries its correction in
// the next bundle: when, why, after an export. The bundle validates, and
// an import keeps it.
func TestBundleCarriesCorrection(t *testing.T) {
	st := newStore(t)
	f := builtin(t)
	iv := recordOne(t, st, f, "trafficked-abroad.yaml", time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC), true)
	// Handed over: a bundle encrypted to a recipient.
	opt := plainOpts(filepath.Join(t.TempDir(), "first.age"))
	opt.Plaintext, opt.Recipients = false, []Recipient{recipientFor(t, fixedIdentity(t))}
	_, rep := exportBundle(t, st, opt)
	if err := MarkExported(context.Background(), st, rep); err != nil {
		t.Fatal(err)
	}
	ans := questionnaire.Answers(iv.AnswersMap())
	ans["age"] = 31
	const reason = "the person gave their age again: 31"
	var res session.Amendment
	if _, err := st.Update(iv.ID, func(x *record.Interview) error {
		var err error
		res, err = session.Amend(x, f, ans, reason, "Editor", time.Now().UTC())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if !res.AfterExport || len(res.Changed) != 1 {
		t.Fatalf("amendment %+v", res)
	}

	data, _ := exportBundle(t, st, plainOpts(filepath.Join(t.TempDir(), "second.json")))
	mustContain(t, string(data), `"corrections":[{"at":"`, `"reason":"`+reason+`"`, `"interviewer":"Editor","after_export":true}]`)
	sch, err := jsonschema.NewCompiler().Compile(filepath.Join("..", "..", "schema", "bundle.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(doc); err != nil {
		t.Fatalf("a bundle with a correction does not validate: %v", err)
	}
	_, ivs, err := readBundle(data)
	if err != nil || len(ivs) != 1 {
		t.Fatalf("read: %d interviews, %v", len(ivs), err)
	}
	if cs := ivs[0].Corrections; len(cs) != 1 || cs[0].Reason != reason || !cs[0].AfterExport {
		t.Errorf("read back corrections %+v", cs)
	}
	if got := ivs[0].toStore("").Corrections(); len(got) != 1 || got[0].Reason != reason {
		t.Errorf("imported record's corrections %+v", got)
	}

	// Corrections that disagree with the audit trail are refused.
	forged := strings.Replace(string(data), `"reason":"`+reason+`"`, `"reason":"another reason"`, 1)
	if _, _, err := readBundle([]byte(forged)); err == nil || !strings.Contains(err.Error(), "corrections do not match its audit trail") {
		t.Errorf("forged correction: %v", err)
	}
}

// Answers set aside in a draft never leave the laptop.
func TestBundleLeavesSetAsideOut(t *testing.T) {
	st := newStore(t)
	f := builtin(t)
	iv := recordOne(t, st, f, "trafficked-abroad.yaml", time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC), false)
	const marker = "Marker-Set-Aside-Country"
	iv, err := st.Update(iv.ID, func(x *record.Interview) error {
		x.SetAside = []record.Answer{{QuestionID: "country_of_origin_unused", Value: marker, AnsweredAt: time.Now().UTC()}}
		return nil
	})
	if err != nil || len(iv.SetAside) != 1 {
		t.Fatalf("set aside: %v", err)
	}
	data, _ := exportBundle(t, st, plainOpts(filepath.Join(t.TempDir(), "b.json")))
	if bytes.Contains(data, []byte(marker)) || bytes.Contains(data, []byte("set_aside")) {
		t.Error("a set-aside answer is in the bundle")
	}
}
