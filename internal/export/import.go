package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"filippo.io/age"

	"fieldscreen/internal/store"
	"fieldscreen/questionnaire"
)

// ImportReport says what one bundle brought in.
type ImportReport struct {
	File      string
	Added     []string
	Skipped   []string // already here, same content
	Conflicts []string // already here with different content: the stored one was kept
}

// Import reads a whole bundle file, checks every interview, and imports
// them in one store transaction: a malformed, truncated or tampered bundle
// imports nothing. Each interview is rescored from its answers with the
// bundle's flow (whose source matched its hash); a bundle whose summary of
// any interview disagrees is refused, and the stored outcome is always the
// recomputed one. This catches a naive edit of a plaintext bundle, not a
// deliberate one: whoever edits the answers can rewrite the summary and
// interviews_sha256 to match. Only an age-encrypted bundle is authenticated. An interview already in the store with the same content
// is skipped; one with different content is a conflict and the stored one
// is kept. Each added interview gets an "imported" audit event.
func Import(st *store.Store, path string, ids []age.Identity, importer string) (*ImportReport, error) {
	r, ivs, err := ReadAll(path, ids)
	if err != nil {
		return nil, err
	}
	outcomes, err := rescore(r, ivs)
	if err != nil {
		return nil, &Error{File: path, Err: err}
	}
	existing, err := storedContent(st, ivs)
	if err != nil {
		return nil, err
	}
	rep := &ImportReport{File: path}
	at := now()
	detail := fmt.Sprintf("bundle exported_at=%s by %s; purpose=%s", r.Header.ExportedAt.UTC().Format(time.RFC3339), quote(r.Header.Interviewer), quote(r.Header.Purpose))
	var fresh []*store.Interview
	for i, iv := range ivs {
		s := iv.toStore(outcomes[i])
		if old, ok := existing[s.ID]; ok {
			if bytes.Equal(old, contentKey(s)) {
				rep.Skipped = append(rep.Skipped, s.ID)
			} else {
				rep.Conflicts = append(rep.Conflicts, s.ID)
			}
			continue
		}
		s.Audit = append(s.Audit, store.AuditEvent{At: at, Event: store.EventImported, Interviewer: importer, Detail: detail})
		fresh = append(fresh, s)
	}
	added, skipped, conflicts, err := st.ImportMany(fresh, r.Flows())
	if err != nil {
		return nil, &Error{File: path, Err: err}
	}
	rep.Added = added
	// Another process may have stored one of them since we looked.
	rep.Skipped = append(rep.Skipped, skipped...)
	rep.Conflicts = append(rep.Conflicts, conflicts...)
	return rep, nil
}

// rescore recomputes each interview's summary on its flow in the bundle
// and returns the outcomes, on every core. A carried summary that differs
// in any of summaryFields makes the whole bundle invalid; the first such
// interview in bundle order is named.
func rescore(r *Reader, ivs []*Interview) ([]string, error) {
	out := make([]string, len(ivs))
	p := newOrdered[struct{}]()
	go func() {
		defer p.close()
		for i, iv := range ivs {
			ok := p.submit(func() (struct{}, error) {
				o, err := rescoreOne(iv, r.Flow(iv.Flow.Hash))
				out[i] = o
				return struct{}{}, err
			})
			if !ok {
				return
			}
		}
	}()
	defer p.stop()
	for {
		_, err, ok := p.next()
		if !ok {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func rescoreOne(iv *Interview, f *questionnaire.Flow) (string, error) {
	sum, err := score(iv, f)
	if err != nil {
		return "", invalidf("%v", err)
	}
	want, err := sum.AppendJSON(nil)
	if err != nil {
		return "", err
	}
	// A summary as this package writes it is byte for byte the one
	// recomputed; only one that is not needs the field by field look.
	if !bytes.Equal(iv.Summary, want) {
		field, err := summaryDiff(iv.Summary, want)
		if err != nil {
			return "", err
		}
		if field != "" {
			return "", invalidf("interview %s: its summary (%s) does not follow from its answers: the bundle was edited or damaged after it was written", shortID(iv.InterviewID), field)
		}
	}
	return sum.GetString("outcome"), nil
}

// storedContent returns, for the bundle's interviews already in the store,
// their content keys. It walks the store once, and only when some ID is
// already here.
func storedContent(st *store.Store, ivs []*Interview) (map[string][]byte, error) {
	entries, err := st.List("")
	if err != nil {
		return nil, err
	}
	present := make(map[string]bool, len(entries))
	for _, e := range entries {
		present[e.ID] = true
	}
	want := map[string]bool{}
	for _, iv := range ivs {
		if present[iv.InterviewID] {
			want[iv.InterviewID] = true
		}
	}
	out := map[string][]byte{}
	if len(want) == 0 {
		return out, nil
	}
	err = st.Each("", func(iv *store.Interview) error {
		if want[iv.ID] {
			out[iv.ID] = contentKey(iv)
		}
		return nil
	})
	return out, err
}

// contentKey is what makes two records the same interview: who, where,
// when, on which flow, with which consent and answers. Status, audit trail
// and update time are left out: they change when an interview is exported
// or imported, and do not make it a different interview.
func contentKey(iv *store.Interview) []byte {
	utc := func(t time.Time) time.Time { return t.UTC() }
	type answer struct {
		ID string
		V  any
		At time.Time
	}
	k := struct {
		ID, FlowID, FlowVersion, FlowHash, Interviewer, Location, Language string
		CreatedAt                                                          time.Time
		CompletedAt                                                        *time.Time
		Consent                                                            *store.Consent
		Answers                                                            []answer
	}{ID: iv.ID, FlowID: iv.FlowID, FlowVersion: iv.FlowVersion, FlowHash: iv.FlowHash, Interviewer: iv.Interviewer,
		Location: iv.Location, Language: iv.Language, CreatedAt: utc(iv.CreatedAt)}
	if iv.CompletedAt != nil {
		t := utc(*iv.CompletedAt)
		k.CompletedAt = &t
	}
	if iv.Consent != nil {
		c := *iv.Consent
		c.At = utc(c.At)
		k.Consent = &c
	}
	for _, a := range iv.Answers {
		k.Answers = append(k.Answers, answer{a.QuestionID, a.Value, utc(a.AnsweredAt)})
	}
	b, _ := json.Marshal(k)
	return b
}
