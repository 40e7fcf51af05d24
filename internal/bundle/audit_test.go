package bundle

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"time"

	"fieldscreen/internal/record"
)

// TestAuditInterviewerOnce: a bundle names an audit event's interviewer
// only where it is not the interview's own, and an import restores it on
// every event, the empty name included.
func TestAuditInterviewerOnce(t *testing.T) {
	src := newStore(t)
	ivs := fill(t, src, 2)
	// One event by someone else, one by no one.
	if _, err := src.Annotate(ivs[0].ID, func(iv *record.Interview) error {
		iv.Audit = append(iv.Audit,
			record.AuditEvent{At: time.Now(), Event: record.EventResumed, Interviewer: "Someone Else"},
			record.AuditEvent{At: time.Now(), Event: record.EventResumed})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	before := all(t, src)
	path := filepath.Join(t.TempDir(), "b.json")
	data, _ := exportBundle(t, src, plainOpts(path))
	if n := bytes.Count(data, []byte(`"interviewer":"`)); n != 2+2 { // each interview's, and the two others
		t.Errorf("%d interviewer fields in the bundle, want 4", n)
	}
	mustContain(t, string(data), `"interviewer":"Someone Else"`, `"interviewer":""`)
	dst := newStore(t)
	if _, err := Import(context.Background(), dst, path, nil, "Caseworker"); err != nil {
		t.Fatal(err)
	}
	after := all(t, dst)
	for i := range before {
		got := after[i].Audit[:len(after[i].Audit)-1] // less the import
		if !slices.EqualFunc(got, before[i].Audit, func(a, b record.AuditEvent) bool {
			return a.At.Equal(b.At) && a.Event == b.Event && a.QuestionID == b.QuestionID && a.Interviewer == b.Interviewer && a.Detail == b.Detail
		}) {
			t.Errorf("interview %d: audit trail differs after the round trip", i)
		}
	}
}

// TestReadSchemaV1: a version 1 bundle, which names the interviewer on
// every event and means none where it names none, still imports.
func TestReadSchemaV1(t *testing.T) {
	src := newStore(t)
	fill(t, src, 2)
	before := all(t, src)
	data, _ := exportBundle(t, src, plainOpts(filepath.Join(t.TempDir(), "b.json")))
	// Rewrite it as version 1: every event names its interviewer.
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var lines []json.RawMessage
	json.Unmarshal(doc["interviews"], &lines)
	sums := newLineHash()
	var out bytes.Buffer
	out.WriteString(`{"schema_version": 1, "generator": ` + string(doc["generator"]) + `, "exported_at": ` + string(doc["exported_at"]) +
		`, "interviewer": "", "purpose": "p", "flows": ` + string(doc["flows"]) + `, "interviews": [`)
	for i, raw := range lines {
		var iv Interview
		if err := json.Unmarshal(raw, &iv); err != nil {
			t.Fatal(err)
		}
		for j := range iv.Audit {
			who := iv.Interviewer
			iv.Audit[j].Interviewer = &who
		}
		line, _ := json.Marshal(&iv)
		sums.add(line)
		if i > 0 {
			out.WriteByte(',')
		}
		out.Write(line)
	}
	out.WriteString(`], "interviews_sha256": "` + sums.hex() + `"}`)
	if !regexp.MustCompile(`"audit":\[\{"at":"[^"]*","event":"created","interviewer":`).Match(out.Bytes()) {
		t.Fatal("the version 1 bundle does not name the interviewer on its events")
	}
	path := writeTemp(t, out.Bytes())
	dst := newStore(t)
	if ir, err := Import(context.Background(), dst, path, nil, ""); err != nil || len(ir.Added) != 2 {
		t.Fatalf("import of a version 1 bundle: %+v, %v", ir, err)
	}
	after := all(t, dst)
	for i := range before {
		for j, e := range before[i].Audit {
			if after[i].Audit[j].Interviewer != e.Interviewer {
				t.Errorf("interview %d event %d: interviewer %q, want %q", i, j, after[i].Audit[j].Interviewer, e.Interviewer)
			}
		}
	}
}
