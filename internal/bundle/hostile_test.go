package bundle

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fieldscreen/internal/record"
	"fieldscreen/internal/session"
	"fieldscreen/internal/store"
	"fieldscreen/questionnaire"
)

// A bundle is written by someone else. These tests forge the bundles an
// attacker would send, with summaries and interviews_sha256 recomputed to
// match (as a deliberate editor would), so that they reach the checks an
// honest mistake never would.

// bundleDoc is a bundle laid out for editing and writing back in order.
type bundleDoc struct {
	header     Header
	interviews []*Interview
}

func parseBundle(t *testing.T, data []byte) (*bundleDoc, *Reader) {
	t.Helper()
	r, ivs, err := readBundle(data)
	if err != nil {
		t.Fatal(err)
	}
	return &bundleDoc{header: r.Header, interviews: ivs}, r
}

// bytes writes the bundle with its header first, its interviews, and
// interviews_sha256 recomputed; with rescore, each summary is recomputed
// from the answers on the bundle's flow, as a forger would.
func (d *bundleDoc) bytes(t *testing.T, flows map[string]*questionnaire.Flow, rescore bool) []byte {
	t.Helper()
	var b bytes.Buffer
	field := func(k string, v any) {
		kb, _ := json.Marshal(k)
		vb, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(kb)
		b.WriteString(": ")
		b.Write(vb)
		b.WriteString(",\n")
	}
	b.WriteString("{\n")
	h := d.header
	field("schema_version", h.SchemaVersion)
	field("generator", h.Generator)
	field("exported_at", h.ExportedAt)
	field("interviewer", h.Interviewer)
	field("purpose", h.Purpose)
	field("flows", h.Flows)
	b.WriteString(`"interviews": [` + "\n")
	sums := newLineHash()
	for i, iv := range d.interviews {
		if rescore {
			if f := flows[iv.Flow.Hash]; f != nil {
				sum, err := score(iv, f)
				if err != nil {
					t.Fatal(err)
				}
				if iv.Summary, err = sum.AppendJSON(nil); err != nil {
					t.Fatal(err)
				}
			}
		}
		line, err := json.Marshal(iv)
		if err != nil {
			t.Fatal(err)
		}
		sums.add(line)
		if i > 0 {
			b.WriteString(",\n")
		}
		b.Write(line)
	}
	b.WriteString("\n],\n")
	b.WriteString(`"interviews_sha256": "` + sums.hex() + "\"\n}\n")
	return b.Bytes()
}

// forged is a good bundle of n interviews, its first edited by edit.
func forged(t *testing.T, n int, edit func(t *testing.T, iv *Interview, f *questionnaire.Flow)) []byte {
	t.Helper()
	d, r := parseBundle(t, goodBundle(t, n))
	edit(t, d.interviews[0], r.Flow(d.interviews[0].Flow.Hash))
	return d.bytes(t, r.flows, true)
}

// answerTo returns iv's answer to question qid, adding one if needed.
func answerTo(iv *Interview, qid string) *Answer {
	for i := range iv.Answers {
		if iv.Answers[i].ID == qid {
			return &iv.Answers[i]
		}
	}
	iv.Answers = append(iv.Answers, Answer{ID: qid, AnsweredAt: iv.CreatedAt})
	return &iv.Answers[len(iv.Answers)-1]
}

// firstAnswered returns iv's first answer to a question of type typ.
func firstAnswered(t *testing.T, iv *Interview, f *questionnaire.Flow, typ questionnaire.Kind, minLen int) *Answer {
	t.Helper()
	for i, a := range iv.Answers {
		q := f.Question(a.ID)
		if q.Type != typ {
			continue
		}
		if l, ok := a.Value.([]string); ok && len(l) < minLen {
			continue
		}
		if _, isList := a.Value.([]string); typ == questionnaire.TypeMulti && !isList {
			continue
		}
		return &iv.Answers[i]
	}
	t.Fatalf("interview %s answers no %s question", iv.InterviewID, typ)
	return nil
}

// TestImportRefusesForgedAnswers: answers the flow could not have recorded
// are refused, and the bundle with them, even when the forger recomputed
// the summaries and the checksum. The message names the question, never
// the forged value.
func TestImportRefusesForgedAnswers(t *testing.T) {
	const secret = "zz-forged-value"
	cases := []struct {
		name string
		edit func(t *testing.T, iv *Interview, f *questionnaire.Flow)
		want string
	}{
		{"a choice the question does not have", func(t *testing.T, iv *Interview, f *questionnaire.Flow) {
			firstAnswered(t, iv, f, questionnaire.TypeChoice, 0).Value = secret
		}, "is not one the question takes"},
		{"a list with a choice the question does not have", func(t *testing.T, iv *Interview, f *questionnaire.Flow) {
			a := firstAnswered(t, iv, f, questionnaire.TypeMulti, 1)
			a.Value = append(slices.Clone(a.Value.([]string)), secret)
		}, "is not one the question takes"},
		{"a number out of range", func(t *testing.T, iv *Interview, f *questionnaire.Flow) {
			firstAnswered(t, iv, f, questionnaire.TypeInteger, 0).Value = 4000
		}, "is not one the question takes"},
		{"a text longer than an answer holds", func(t *testing.T, iv *Interview, f *questionnaire.Flow) {
			for _, q := range f.Questions {
				if q.Type == questionnaire.TypeText {
					answerTo(iv, q.ID).Value = secret + strings.Repeat("x", questionnaire.MaxTextAnswer)
					return
				}
			}
			t.Fatal("no text question")
		}, "an answer holds at most 10000"},
		{"a list out of the flow's order", func(t *testing.T, iv *Interview, f *questionnaire.Flow) {
			a := firstAnswered(t, iv, f, questionnaire.TypeMulti, 2)
			l := slices.Clone(a.Value.([]string))
			slices.Reverse(l)
			a.Value = l
		}, "not in the form fieldscreen keeps it"},
		{"an answer to a question the other answers do not ask", func(t *testing.T, iv *Interview, f *questionnaire.Flow) {
			vis, err := f.Visible(iv.answers())
			if err != nil {
				t.Fatal(err)
			}
			asked := map[string]bool{}
			for _, q := range vis {
				asked[q.ID] = true
			}
			for _, q := range f.Questions {
				if !asked[q.ID] && q.Type == questionnaire.TypeYesNo {
					answerTo(iv, q.ID).Value = "yes"
					return
				}
			}
			t.Fatal("every question is asked")
		}, "which its other answers do not ask"},
		{"consent refused, every other answer kept", func(t *testing.T, iv *Interview, f *questionnaire.Flow) {
			answerTo(iv, f.ConsentQuestion).Value = "no"
			iv.Consent.Given = false
		}, "consent was refused, yet it keeps"},
		{"a consent record that contradicts the answer", func(t *testing.T, iv *Interview, f *questionnaire.Flow) {
			iv.Consent.Given = false
		}, "consent record does not match"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := forged(t, 2, c.edit)
			st := newStore(t)
			fill(t, st, 1)
			path := filepath.Join(t.TempDir(), "forged.json")
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Import(context.Background(), st, path, nil, "")
			if err == nil {
				t.Fatal("imported a bundle with a forged answer")
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("err = %v, want ErrInvalid", err)
			}
			mustContain(t, err.Error(), "forged.json", c.want)
			if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "4000") {
				t.Errorf("the message quotes the forged answer: %v", err)
			}
			if n := len(all(t, st)); n != 1 {
				t.Errorf("%d interviews in the store after a refused import", n)
			}
		})
	}
}

// TestImportRefusesOversize: every part of a bundle has a size limit,
// checked before the part is held, and going over it is a clear error.
func TestImportRefusesOversize(t *testing.T) {
	huge := strings.Repeat("x", maxHeaderBytes+1)
	minimal, err := os.ReadFile("../../testdata/flows/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bigFlow := string(minimal) + "# " + strings.Repeat("padding ", questionnaire.MaxFlowSource/8) + "\n"
	cases := []struct {
		name string
		edit func(d *bundleDoc)
		want string
	}{
		{"a header of 16 MiB", func(d *bundleDoc) { d.header.Purpose = huge }, "the part before its interviews (its flows) is larger than fieldscreen reads"},
		{"a purpose of 5 KB", func(d *bundleDoc) { d.header.Purpose = huge[:5000] }, "its purpose is 5000 bytes long"},
		{"a flow of more than 1 MiB", func(d *bundleDoc) {
			d.header.Flows = append(d.header.Flows, Flow{ID: "minimal-example", Version: "0.1.0", Hash: "sha256:" + sha256Hex([]byte(bigFlow)), Source: bigFlow})
		}, "a flow may be at most 1048576"},
		{"an interview of 5 MiB", func(d *bundleDoc) {
			d.interviews[1].Audit[0].Detail = strings.Repeat("y", 5<<20)
		}, "is larger than 4 MiB"},
		{"an interviewer's name of 5 KB", func(d *bundleDoc) { d.interviews[1].Interviewer = huge[:5000] }, "its interviewer is 5000 bytes long"},
		{"a text answer of 20 KB", func(d *bundleDoc) {
			d.interviews[1].Answers[0].Value = huge[:20000]
		}, "an answer holds at most 10000"},
		{"more interviews than a bundle may carry", func(d *bundleDoc) {
			maxInterviews = 2
		}, "it carries more than 2 interviews"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			defer func(n int) { maxInterviews = n }(maxInterviews)
			d, r := parseBundle(t, goodBundle(t, 3))
			c.edit(d)
			st := newStore(t)
			fill(t, st, 1)
			path := filepath.Join(t.TempDir(), "big.json")
			if err := os.WriteFile(path, d.bytes(t, r.flows, false), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Import(context.Background(), st, path, nil, "")
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			mustContain(t, err.Error(), "big.json", c.want)
			if n := len(all(t, st)); n != 1 {
				t.Errorf("%d interviews in the store after a refused import", n)
			}
		})
	}
}

// minimalBundle exports one completed interview taken with the minimal
// example flow (neither built in nor, at first, in the recipient's store).
func minimalBundle(t *testing.T) (path string, f *questionnaire.Flow) {
	t.Helper()
	src, err := os.ReadFile("../../testdata/flows/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f, err = questionnaire.Load("minimal.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	st := newStore(t)
	at := time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)
	iv, err := session.New(st, f, "A. Officer", "LOC-1", "en", at)
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range []struct {
		q string
		v any
	}{{"consent", "yes"}, {"age", 15}, {"lives_in", "village"}, {"needs", []string{"shelter"}}} {
		if _, err := session.Answer(iv, f, a.q, a.v, at.Add(time.Duration(i)*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	if err := session.Complete(iv, f, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := st.Put(iv); err != nil {
		t.Fatal(err)
	}
	data, _ := exportBundle(t, st, plainOpts(filepath.Join(t.TempDir(), "m.json")))
	return writeTemp(t, data), f
}

// TestImportUnknownFlow: a bundle's flow is code from outside. One that is
// neither built in nor already in the store is not run, nor stored,
// until the person accepts its hash; after that it is known.
func TestImportUnknownFlow(t *testing.T) {
	path, f := minimalBundle(t)
	st := newStore(t)
	_, err := Import(context.Background(), st, path, nil, "")
	var uf *UnknownFlowError
	if !errors.As(err, &uf) || !errors.Is(err, ErrUnknownFlow) {
		t.Fatalf("err = %v, want an UnknownFlowError", err)
	}
	if len(uf.Flows) != 1 || uf.Flows[0].Hash != f.Hash || uf.Flows[0].ID != "minimal-example" || uf.Flows[0].Version != "0.1.0" {
		t.Errorf("flows = %+v", uf.Flows)
	}
	mustContain(t, err.Error(), f.Hash, "minimal-example 0.1.0")
	if n := len(all(t, st)); n != 0 {
		t.Errorf("%d interviews stored", n)
	}
	if _, err := st.Flow(f.Hash); err == nil {
		t.Error("the unknown flow was stored")
	}

	// A dry run says what would happen, and writes nothing.
	rep, err := ImportWith(context.Background(), st, path, ImportOptions{Accept: []string{f.Hash}, DryRun: true})
	if err != nil || len(rep.Added) != 1 || !rep.DryRun || rep.Flows[0].Trust != TrustAccepted || rep.Flows[0].Interviews != 1 {
		t.Fatalf("dry run = %+v, %v", rep, err)
	}
	if n := len(all(t, st)); n != 0 {
		t.Errorf("a dry run stored %d interviews", n)
	}

	rep, err = ImportWith(context.Background(), st, path, ImportOptions{Accept: []string{f.Hash}})
	if err != nil || len(rep.Added) != 1 {
		t.Fatalf("accepted: %+v, %v", rep, err)
	}
	// Now it is in the store: the same bundle is known without asking.
	rep, err = Import(context.Background(), st, path, nil, "")
	if err != nil || len(rep.Skipped) != 1 || rep.Flows[0].Trust != TrustStored {
		t.Fatalf("second import: %+v, %v", rep, err)
	}
	// The built-in flow needs nobody's acceptance.
	rep, err = Import(context.Background(), newStore(t), writeTemp(t, goodBundle(t, 1)), nil, "")
	if err != nil || rep.Flows[0].Trust != TrustBuiltin {
		t.Fatalf("built-in: %+v, %v", rep, err)
	}
}

// TestVerify: verify shows a bundle's flows with how each is known, checks
// everything it can without running an unknown flow, and reports what
// it found.
func TestVerify(t *testing.T) {
	path, f := minimalBundle(t)
	v, err := Verify(context.Background(), path, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Flows) != 1 || v.Flows[0].Trust != TrustUnknown || v.Flows[0].Hash != f.Hash || v.Interviews != 1 || v.Rescored != 0 {
		t.Fatalf("verify = %+v", v)
	}
	v, err = Verify(context.Background(), path, nil, []string{f.Hash})
	if err != nil || v.Rescored != 1 || v.Flows[0].Trust != TrustAccepted {
		t.Fatalf("verify, accepted = %+v, %v", v, err)
	}
	good := writeTemp(t, goodBundle(t, 3))
	v, err = Verify(context.Background(), good, nil, nil)
	if err != nil || v.Interviews != 3 || v.Rescored != 3 || v.Flows[0].Trust != TrustBuiltin {
		t.Fatalf("verify, built-in = %+v, %v", v, err)
	}
	if _, err := Verify(context.Background(), writeTemp(t, forged(t, 2, func(t *testing.T, iv *Interview, f *questionnaire.Flow) {
		firstAnswered(t, iv, f, questionnaire.TypeChoice, 0).Value = "nope"
	})), nil, nil); !errors.Is(err, ErrInvalid) {
		t.Fatalf("verify of a forged bundle: %v", err)
	}
}

// TestImportMemoryBounded: an import holds one batch of interviews, not
// the bundle: importing 6,000 interviews (about 40 MB of JSON, 300 MB of
// heap when an import held them all) grows the heap by less than 64 MB.
// The peak is logged.
func TestImportMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a large bundle")
	}
	n := 6000
	_, bundle := largeBundle(t, n)
	info, err := os.Stat(bundle)
	if err != nil {
		t.Fatal(err)
	}
	dst := newStore(t)
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
		}
	}()
	start := time.Now()
	rep, err := Import(context.Background(), dst, bundle, nil, "")
	close(stop)
	wg.Wait()
	if err != nil || len(rep.Added) != n {
		t.Fatalf("import: %v", err)
	}
	grew := int64(peak.Load()) - int64(base.HeapInuse)
	t.Logf("%d interviews, %d MB bundle: %v, heap grew by at most %d MB", n, info.Size()>>20, time.Since(start).Round(time.Millisecond), grew>>20)
	if grew > 64<<20 {
		t.Errorf("the heap grew by %d MB importing a %d MB bundle: the import holds the bundle", grew>>20, info.Size()>>20)
	}
}

// largeBundle writes a plaintext bundle of n completed interviews, copies
// of the examples under new IDs.
func largeBundle(t *testing.T, n int) (*store.Store, string) {
	t.Helper()
	st := newStore(t)
	f := builtin(t)
	at := time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)
	tmp := newStore(t)
	var ivs []*record.Interview
	for _, e := range examples {
		ivs = append(ivs, recordOne(t, tmp, f, e, at, true))
	}
	batch := make([]*record.Interview, 0, n)
	for i := range n {
		c := *ivs[i%len(ivs)]
		c.ID, _ = record.NewID()
		c.CreatedAt = at.Add(time.Duration(i) * time.Second)
		batch = append(batch, &c)
	}
	if _, _, _, err := st.Import(context.Background(), batch, map[string][]byte{f.Hash: f.Source}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "large.json")
	if _, err := Export(context.Background(), st, Selection{}, plainOpts(path)); err != nil {
		t.Fatal(err)
	}
	return st, path
}
