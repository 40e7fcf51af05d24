package bundle

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"filippo.io/age"

	"fieldscreen/internal/parallel"
	"fieldscreen/internal/record"
	"fieldscreen/internal/session"
	"fieldscreen/internal/sign"
	"fieldscreen/internal/store"
	"fieldscreen/questionnaire"
)

// ImportReport says what one bundle brought in (or, for a dry run,
// would bring in).
type ImportReport struct {
	File      string
	Added     []string
	Skipped   []string // already here, same content
	Conflicts []string // already here with different content: the stored one was kept
	// Flows are the bundle's flows, each with how this computer knows it.
	Flows  []FlowInfo
	DryRun bool // nothing was written
}

// ImportOptions say how to import a bundle.
type ImportOptions struct {
	Identities []age.Identity
	Importer   string // who imports, for the audit trail
	// Accept are the hashes ("sha256:…") of flows the person has seen
	// (fieldscreen verify) and accepts although they are neither built in
	// nor in the store.
	Accept []string
	// DryRun checks the bundle whole and reports what an import would
	// add, skip and refuse, writing nothing.
	DryRun bool
	// Create makes the store when ImportWith is given none (none exists
	// yet). It is called only once the bundle has passed its check, so a
	// refused bundle leaves no store behind.
	Create func() (*store.Store, error)
	// Manifest is the manifest the bundle's signature carries, when it
	// has one: the bundle's own must be the same (sign.Manifest.Match).
	Manifest *sign.Manifest
	// Note is added to each imported interview's audit event (how the
	// signature was checked, or that it was accepted untrusted).
	Note string
	// FileHash, if set, is given every byte of the file as the first
	// reading reads it (and then the rest, to its end), and FileChecked
	// is asked once it has: an error refuses the import before anything
	// is stored. A verified signature is so checked against the bytes
	// the import read, not only against the file as it was when the
	// signature was verified (sign.Result.Matches).
	FileHash    io.Writer
	FileChecked func() error
}

// importBatch is how many interviews go into the store in one
// transaction: memory holds one batch, whatever the bundle's size.
const importBatch = 1000

// ImportWith reads a bundle file and imports its interviews, whole or not
// at all, in memory that does not grow with the bundle. A dry run may be
// given no store (st nil): it then compares with an empty one; so may an
// import with opt.Create, which makes the store once the bundle checked
// out.
//
// Its flows must be known here (built in, already in the store, or in
// opt.Accept): a bundle's flow is code from outside, so one nobody chose
// to trust is shown (Verify) and not run; the error is a
// *UnknownFlowError.
//
// The bundle is read twice. The first reading checks everything, writing
// nothing: its structure and sizes, every interview's answers against its
// flow (checkAnswers), every summary rescored from the answers (a summary
// that disagrees makes the whole bundle invalid; the outcome stored is
// always the recomputed one), interviews_sha256. The second reading
// stores the interviews in batches of importBatch, and checks that it
// read the same bundle as the first (the same flows and
// interviews_sha256); if not, or if storing fails, the interviews it
// added are erased again. (A process killed during the second reading
// leaves the interviews of a checked bundle stored so far; importing it
// again adds the rest.)
//
// This catches a naive edit of a plaintext bundle, not a deliberate one:
// whoever edits the answers can rewrite the summary and
// interviews_sha256 to match. Only an age-encrypted bundle is
// authenticated. An interview already in the store with the same content
// is skipped; one with different content is a conflict and the stored
// one is kept. Each added interview gets an "imported" audit event.
//
// A cancelled ctx stops the import: the interviews it added are erased
// again, and the error is ctx's.
func ImportWith(ctx context.Context, st *store.Store, path string, opt ImportOptions) (*ImportReport, error) {
	known := KnownFlows(st, opt.Accept)
	if st == nil && !opt.DryRun && opt.Create == nil {
		return nil, errors.New("bundle: ImportWith needs a store")
	}
	present := map[string]bool{} // the IDs in the store
	if st != nil {
		entries, err := st.List("")
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			present[e.ID] = true
		}
	}
	chk, err := checkBundle(ctx, path, opt.Identities, known, true, present, opt.FileHash)
	if err != nil {
		return nil, err
	}
	if opt.FileChecked != nil {
		if err := opt.FileChecked(); err != nil {
			return nil, &Error{File: path, Err: err}
		}
	}
	if opt.Manifest != nil {
		if err := opt.Manifest.Match(chk.header.Manifest); err != nil {
			return nil, &Error{File: path, Err: invalidf("%v", err)}
		}
	}
	rep := &ImportReport{File: path, Flows: chk.flows, DryRun: opt.DryRun}
	existing := map[string][sha256.Size]byte{}
	if st != nil {
		if existing, err = storedContent(ctx, st, present, chk.ivs); err != nil {
			return nil, err
		}
	}
	fresh := make([]bool, len(chk.ivs))
	for i, c := range chk.ivs {
		if old, ok := existing[c.id]; ok {
			if old == c.content {
				rep.Skipped = append(rep.Skipped, c.id)
			} else {
				rep.Conflicts = append(rep.Conflicts, c.id)
			}
			continue
		}
		fresh[i] = true
	}
	if opt.DryRun {
		for i, c := range chk.ivs {
			if fresh[i] {
				rep.Added = append(rep.Added, c.id)
			}
		}
		return rep, nil
	}
	if st == nil {
		// No store existed: it is created only now, for a bundle that
		// checked out, so a refused one leaves none behind.
		if st, err = opt.Create(); err != nil {
			return nil, err
		}
	}
	if err := storeBundle(ctx, st, path, opt, chk, fresh, rep); err != nil {
		return nil, err
	}
	return rep, nil
}

// Trust says how this computer knows a bundle's flow.
type Trust string

// KnownFlows says how this computer knows a flow, by its hash: built in,
// accepted (its hash is in accept), in the store st (if st is not nil),
// or not at all (TrustUnknown). Only a flow known is run.
func KnownFlows(st *store.Store, accept []string) func(hash string) Trust {
	return func(hash string) Trust {
		switch {
		case questionnaire.BuiltinByHash(hash) != nil:
			return TrustBuiltin
		case slices.Contains(accept, hash):
			return TrustAccepted
		}
		if st == nil {
			return TrustUnknown
		}
		if _, err := st.Flow(hash); err == nil {
			return TrustStored
		}
		return TrustUnknown
	}
}

// UnknownFlows returns the bundle's flows that known does not know, in
// bundle order: the ones that must not run until the person accepts them.
func (r *Reader) UnknownFlows(known func(hash string) Trust) []FlowInfo {
	var out []FlowInfo
	for _, f := range r.Header.Flows {
		if t := known(f.Hash); t == TrustUnknown {
			out = append(out, FlowInfo{ID: f.ID, Version: f.Version, Hash: f.Hash})
		}
	}
	return out
}

const (
	TrustBuiltin  Trust = "built-in"
	TrustStored   Trust = "in the store"
	TrustAccepted Trust = "accepted"
	TrustUnknown  Trust = ""
)

// FlowInfo is a flow a bundle carries, as verify and import show it.
type FlowInfo struct {
	ID, Version, Hash string
	Trust             Trust
	Interviews        int // how many of the bundle's interviews were taken with it
}

// ErrUnknownFlow: a bundle carries a flow that is neither built in, nor in
// the store, nor accepted (errors.Is; the error is an *UnknownFlowError).
var ErrUnknownFlow = errors.New("the bundle carries a flow this computer does not know")

// UnknownFlowError names the flows of a bundle nobody accepted.
type UnknownFlowError struct {
	File  string
	Flows []FlowInfo
}

func (e *UnknownFlowError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "bundle %s carries %d flow(s) that are neither built in nor in the store, so its interviews were not read:", e.File, len(e.Flows))
	for _, f := range e.Flows {
		fmt.Fprintf(&b, "\n  %s %s  %s", f.ID, f.Version, f.Hash)
	}
	return b.String()
}

func (e *UnknownFlowError) Is(target error) bool { return target == ErrUnknownFlow }

// checked is what the first reading of a bundle found.
type checked struct {
	header   Header // its flows without their sources
	kind     Kind
	flows    []FlowInfo
	ivs      []ivCheck
	sums     string   // interviews_sha256
	hashes   []string // the flows' hashes, in bundle order
	rescored int      // interviews whose summaries were recomputed
	// same, if set, says of an interview that its summary needs no
	// rescoring (an export's check: the writer scored these answers).
	same func(iv *Interview) bool
}

// ivCheck is one interview as the first reading saw it.
type ivCheck struct {
	id       string
	outcome  string
	content  [sha256.Size]byte // of contentKey(the record it becomes), if its ID is in the store
	flow     int               // index in checked.flows
	rescored bool              // its flow was run: answers walked, summary recomputed
}

// checkBundle reads a bundle whole, checking everything and holding only
// ivCheck per interview (with its content key for those whose IDs are
// present in the store). known says how each flow is known; with strict,
// an unknown flow stops the reading before any interview is read (an
// *UnknownFlowError), else the interviews on unknown flows are checked
// for their structure only: their answers are not walked nor their
// summaries recomputed, since that would run the flow.
//
// raw, if not nil, is given every byte of the file, to its end.
func checkBundle(ctx context.Context, path string, ids []age.Identity, known func(hash string) Trust, strict bool, present map[string]bool, raw io.Writer) (*checked, error) {
	r, err := openFile(path, ids, raw)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	r.ctx = ctx
	c := &checked{header: r.Header, kind: r.Kind}
	c.header.Flows = nil
	var unknown []FlowInfo
	for _, f := range r.Header.Flows {
		fi := FlowInfo{ID: f.ID, Version: f.Version, Hash: f.Hash, Trust: known(f.Hash)}
		c.flows = append(c.flows, fi)
		c.hashes = append(c.hashes, f.Hash)
		if fi.Trust == TrustUnknown {
			unknown = append(unknown, fi)
		}
	}
	if strict && len(unknown) > 0 {
		return nil, &UnknownFlowError{File: path, Flows: unknown}
	}
	if err := c.read(ctx, r, present); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &Error{File: path, Err: err}
	}
	if raw != nil {
		// Whatever follows what the reading needed, to the file's end.
		if _, err := io.Copy(io.Discard, r.file); err != nil {
			return nil, &Error{File: path, Err: fmt.Errorf("cannot read it: %w", errors.Unwrap(err))}
		}
	}
	return c, nil
}

// read is the reading and checking of every interview that an import's
// first reading (checkBundle) and an export's check of what it writes
// (importCheck) share: each interview is checked on every core (checkOne:
// its answers against its flow and its summary rescored, if its flow is
// known, c.flows[i].Trust), in bundle order, then the bundle's end
// (interviews_sha256). After an interview fails its check, the bundle is
// read on to its end without checking: damage to the bundle as a whole (a
// truncation, interviews_sha256) says more than a summary that disagrees
// with its answers, and is told instead.
func (c *checked) read(ctx context.Context, r *Reader, present map[string]bool) error {
	index := make(map[string]int, len(c.hashes))
	for i, h := range c.hashes {
		index[h] = i
	}
	outcomes := map[string]string{} // one copy of each outcome's text
	o := parallel.NewOrdered(ctx, func(ic ivCheck) error {
		if o, ok := outcomes[ic.outcome]; ok {
			ic.outcome = o
		} else {
			outcomes[ic.outcome] = ic.outcome
		}
		c.ivs = append(c.ivs, ic)
		c.flows[ic.flow].Interviews++
		if ic.rescored {
			c.rescored++
		}
		return nil
	})
	var readErr error
	for {
		iv, err := r.Next()
		if err != nil {
			if err != io.EOF {
				readErr = err
			}
			break
		}
		f, k := r.Flow(iv.Flow.Hash), index[iv.Flow.Hash]
		run := c.flows[k].Trust != TrustUnknown
		err = o.Go(func(context.Context) (ivCheck, error) {
			rescore := run && (c.same == nil || !c.same(iv))
			ic, err := checkOne(iv, f, run, rescore, present[iv.InterviewID])
			ic.flow = k
			return ic, err
		})
		if err != nil {
			if ctx.Err() == nil {
				readErr = readToEnd(r)
			}
			break
		}
	}
	checkErr := o.Wait()
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case readErr != nil:
		return readErr
	case checkErr != nil:
		return checkErr
	}
	c.sums = r.wantSums
	return nil
}

// readToEnd reads the rest of a bundle, for an error of the bundle as a
// whole.
func readToEnd(r *Reader) error {
	for {
		if _, err := r.Next(); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

// checkOne checks one interview: with run, its answers against its flow,
// and with rescore too its summary rescored (its outcome is known only
// then); with content, it works out the content key of the record it
// becomes (to compare with the stored one of that ID).
func checkOne(iv *Interview, f *questionnaire.Flow, run, rescore, content bool) (ivCheck, error) {
	ic := ivCheck{id: iv.InterviewID, rescored: rescore}
	if run {
		if err := checkAnswers(iv, f); err != nil {
			return ivCheck{}, err
		}
	}
	if rescore {
		o, err := rescoreOne(iv, f)
		if err != nil {
			return ivCheck{}, err
		}
		ic.outcome = o
	}
	if content {
		ic.content = sha256.Sum256(contentKey(iv.toStore(ic.outcome)))
	}
	return ic, nil
}

// storeBundle is an import's second reading: it stores the fresh
// interviews of a bundle checkBundle found good, in batches, and erases
// them again if the bundle it reads now is not the one checked.
func storeBundle(ctx context.Context, st *store.Store, path string, opt ImportOptions, chk *checked, fresh []bool, rep *ImportReport) (err error) {
	var added []string
	defer func() {
		if err != nil && len(added) > 0 {
			if derr := st.Delete(added...); derr != nil {
				err = fmt.Errorf("%w; and the %d interviews it had added could not be erased again: %v", err, len(added), derr)
			}
		}
	}()
	r, err := OpenFile(path, opt.Identities)
	if err != nil {
		return err
	}
	defer r.Close()
	r.ctx = ctx
	changed := func() error {
		return &Error{File: path, Err: invalidf("it changed while it was imported; nothing was imported")}
	}
	if !slices.Equal(hashesOf(r.Header.Flows), chk.hashes) || !sameManifest(r.Header.Manifest, chk.header.Manifest) {
		return changed()
	}
	at := now()
	arrival := record.Arrival{ExportedAt: r.Header.ExportedAt, ExportedBy: r.Header.Interviewer, Purpose: r.Header.Purpose}
	if m := r.Header.Manifest; m != nil {
		arrival.BundleID, arrival.Signer = m.BundleID, m.Signer
	}
	arrival.Note = opt.Note
	flows := r.Flows()
	var batch []*record.Interview
	flush := func() error {
		if len(batch) == 0 && flows == nil {
			return nil
		}
		a, skipped, conflicts, err := st.Import(ctx, batch, flows)
		if err != nil {
			return &Error{File: path, Err: err}
		}
		flows = nil // stored with the first batch
		added = append(added, a...)
		// Another process may have stored one of them since we looked.
		rep.Skipped = append(rep.Skipped, skipped...)
		rep.Conflicts = append(rep.Conflicts, conflicts...)
		clear(batch)
		batch = batch[:0]
		return nil
	}
	for i := 0; ; i++ {
		iv, err := r.Next()
		if err == io.EOF {
			break
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			return &Error{File: path, Err: err}
		}
		if i >= len(chk.ivs) || iv.InterviewID != chk.ivs[i].id {
			return changed()
		}
		if !fresh[i] {
			continue
		}
		s := iv.toStore(chk.ivs[i].outcome)
		session.MarkImported(s, at, opt.Importer, arrival)
		batch = append(batch, s)
		if len(batch) == importBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if r.wantSums != chk.sums {
		return changed()
	}
	if err := flush(); err != nil {
		return err
	}
	rep.Added = added
	return nil
}

func hashesOf(fs []Flow) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Hash
	}
	return out
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

// storedContent returns, for the bundle's interviews already in the
// store (present: the store's IDs), the SHA-256 of their content keys. It
// walks the store once, and only when some ID is already here.
func storedContent(ctx context.Context, st *store.Store, present map[string]bool, ivs []ivCheck) (map[string][sha256.Size]byte, error) {
	want := map[string]bool{}
	for _, iv := range ivs {
		if present[iv.id] {
			want[iv.id] = true
		}
	}
	out := map[string][sha256.Size]byte{}
	if len(want) == 0 {
		return out, nil
	}
	err := st.Each(ctx, "", func(iv *record.Interview) error {
		if want[iv.ID] {
			out[iv.ID] = sha256.Sum256(contentKey(iv))
		}
		return nil
	})
	return out, err
}

// contentKey is what makes two records the same interview: who, where,
// when, on which flow, with which consent and answers. Status, audit trail
// and update time are left out: they change when an interview is exported
// or imported, and do not make it a different interview.
func contentKey(iv *record.Interview) []byte {
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
		Consent                                                            *record.Consent
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

// sameManifest reports whether two readings of a bundle carry the same
// manifest (or none).
func sameManifest(a, b *sign.Manifest) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
