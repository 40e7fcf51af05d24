package bundle

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"fieldscreen/internal/record"
	"fieldscreen/internal/session"
	"fieldscreen/internal/store"
	"fieldscreen/questionnaire"
)

var testPass = []byte("correct horse battery staple")

// testIdentity is a fixed key for tests and the encrypted fuzz corpus. It
// protects nothing.
const testIdentity = "AGE-SECRET-KEY-13D38XJYCTRE4RRNPTTWLNKJDTCCV4DJE37XZ35T22LNWGTVVRDKQK088EW"

func fixedIdentity(t testing.TB) *age.X25519Identity {
	t.Helper()
	id, err := age.ParseX25519Identity(testIdentity)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func newStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Create(filepath.Join(t.TempDir(), "s", "interviews.db"), testPass)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func builtin(t testing.TB) *questionnaire.Flow {
	t.Helper()
	f, err := questionnaire.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

var examples = []string{"trafficked-abroad.yaml", "in-origin-country.yaml", "no-consent.yaml"}

// recordOne stores an interview from an answers file the way the CLI does.
// complete=false leaves it a draft.
func recordOne(t testing.TB, st *store.Store, f *questionnaire.Flow, file string, at time.Time, complete bool) *record.Interview {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "testdata", "examples", file))
	if err != nil {
		t.Fatal(err)
	}
	af, err := f.ParseAnswers(file, src)
	if err != nil {
		t.Fatal(err)
	}
	iv, err := session.New(st, f, af.Interviewer, af.Location, af.Language, at)
	if err != nil {
		t.Fatal(err)
	}
	for i, q := range f.Questions {
		if v, ok := af.Answers[q.ID]; ok {
			if _, err := session.Answer(iv, f, q.ID, v, at.Add(time.Duration(i)*time.Second)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if complete {
		if err := session.Complete(iv, f, at.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Put(iv); err != nil {
		t.Fatal(err)
	}
	return iv
}

// fill records n interviews cycling through the examples, all completed.
func fill(t testing.TB, st *store.Store, n int) []*record.Interview {
	t.Helper()
	f := builtin(t)
	var out []*record.Interview
	at := time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		out = append(out, recordOne(t, st, f, examples[i%len(examples)], at.Add(time.Duration(i)*time.Minute), true))
	}
	return out
}

func all(t testing.TB, st *store.Store) []*record.Interview {
	t.Helper()
	var out []*record.Interview
	if err := st.Each(context.Background(), "", func(iv *record.Interview) error { out = append(out, iv); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func plainOpts(path string) Options {
	return Options{Path: path, Generator: "fieldscreen test", Interviewer: "Exporter", Purpose: "referral to legal aid", Plaintext: true}
}

func recipientFor(t testing.TB, id *age.X25519Identity) Recipient {
	t.Helper()
	r, err := ParseRecipient(id.Recipient().String())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// exportBundle writes a bundle of st's interviews and returns its bytes.
func exportBundle(t testing.TB, st *store.Store, opt Options) ([]byte, *Report) {
	t.Helper()
	rep, err := Export(context.Background(), st, Selection{}, opt)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(opt.Path)
	if err != nil {
		t.Fatal(err)
	}
	return b, rep
}

// readBundle reads every interview of a bundle in memory.
func readBundle(data []byte, ids ...age.Identity) (*Reader, []*Interview, error) {
	r, err := NewReader(bytes.NewReader(data), ids)
	if err != nil {
		return nil, nil, err
	}
	var out []*Interview
	for {
		iv, err := r.Next()
		if err == io.EOF {
			return r, out, nil
		}
		if err != nil {
			return nil, out, err
		}
		out = append(out, iv)
	}
}

// comparable drops what an import legitimately adds: its own audit event.
func comparable(iv *record.Interview) string {
	c := *iv
	c.Audit = nil
	for _, e := range iv.Audit {
		if e.Event != record.EventImported {
			c.Audit = append(c.Audit, e)
		}
	}
	b, _ := json.MarshalIndent(c, "", " ")
	return string(b)
}

func summaryJSON(t testing.TB, iv *record.Interview, f *questionnaire.Flow) string {
	t.Helper()
	s, err := f.Score(questionnaire.Answers(iv.AnswersMap()))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(s)
	return string(b)
}

func listDir(t testing.TB, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func mustContain(t testing.TB, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%q does not contain %q", s, sub)
		}
	}
}

var _ = fmt.Sprint

func ageIDs(t testing.TB) []age.Identity { return []age.Identity{fixedIdentity(t)} }

// Import is ImportWith with identities ids and importer, accepting no
// flow that is not known already.
func Import(ctx context.Context, st *store.Store, path string, ids []age.Identity, importer string) (*ImportReport, error) {
	return ImportWith(ctx, st, path, ImportOptions{Identities: ids, Importer: importer})
}

// add hashes one line of a bundle as the writer does: its bytes, then a
// newline.
func (l *lineHash) add(line []byte) {
	l.h.Write(line)
	l.h.Write([]byte{'\n'})
}
