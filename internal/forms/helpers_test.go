package forms

import (
	"bytes"
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"fieldscreen/internal/record"
	"fieldscreen/internal/session"
	"fieldscreen/internal/store"
	"fieldscreen/questionnaire"
)

func newStore(tb testing.TB) *store.Store {
	tb.Helper()
	st, err := store.Create(filepath.Join(tb.TempDir(), "s.db"), []byte("test passphrase"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

func builtin(tb testing.TB) *questionnaire.Flow {
	tb.Helper()
	f, err := questionnaire.Builtin()
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

func newInterview(tb testing.TB, st *store.Store, f *questionnaire.Flow) string {
	tb.Helper()
	iv, err := session.New(st, f, "A. Officer", "LOC-01", "en", time.Now().UTC())
	if err != nil {
		tb.Fatal(err)
	}
	if err := st.Put(iv); err != nil {
		tb.Fatal(err)
	}
	return iv.ID
}

// runPlain runs the accessible mode on lines of input.
func runPlain(tb testing.TB, st *store.Store, f *questionnaire.Flow, id string, lines ...string) (*record.Interview, string, error) {
	tb.Helper()
	var out bytes.Buffer
	iv, err := Run(context.Background(), Options{
		Flow: f, Store: st, InterviewID: id, Lang: "en",
		In: strings.NewReader(strings.Join(lines, "\n") + "\n"), Out: &out, Accessible: true,
	})
	return iv, out.String(), err
}

func get(tb testing.TB, st *store.Store, id string) *record.Interview {
	tb.Helper()
	iv, err := st.Get(id)
	if err != nil {
		tb.Fatal(err)
	}
	return iv
}

func wantAnswers(tb testing.TB, iv *record.Interview, want map[string]any) {
	tb.Helper()
	got := iv.AnswersMap()
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			tb.Errorf("answer %s missing; want %#v", k, w)
			continue
		}
		if !reflect.DeepEqual(g, w) {
			tb.Errorf("answer %s = %#v, want %#v", k, g, w)
		}
	}
}

func events(iv *record.Interview, event record.Event) []string {
	var out []string
	for _, e := range iv.Audit {
		if e.Event == event {
			out = append(out, e.QuestionID)
		}
	}
	return out
}

// helpLine is the keys of the screen on view, on one line.
func (m *tui) helpLine() string { return strings.Join(m.helpKeys(), helpSep) }
