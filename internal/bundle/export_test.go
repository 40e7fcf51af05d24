package bundle

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"fieldscreen/internal/record"
	"fieldscreen/internal/store"
)

func TestRoundTripPlain(t *testing.T) {
	src := newStore(t)
	fill(t, src, 3)
	recordOne(t, src, builtin(t), "trafficked-abroad.yaml", time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), false) // a draft
	before := all(t, src)

	path := filepath.Join(t.TempDir(), "bundle.json")
	data, rep := exportBundle(t, src, plainOpts(path))
	if len(rep.IDs) != 4 || !rep.Verified || rep.Encrypted {
		t.Fatalf("report = %+v", rep)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("bundle mode = %v, want 0600", fi.Mode().Perm())
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != rep.SHA256 {
		t.Error("report SHA256 is not the plaintext bundle's")
	}

	dst := newStore(t)
	ir, err := Import(context.Background(), dst, path, nil, "Caseworker")
	if err != nil {
		t.Fatal(err)
	}
	if len(ir.Added) != 4 || len(ir.Skipped)+len(ir.Conflicts) != 0 {
		t.Fatalf("import = %+v", ir)
	}
	after := all(t, dst)
	f := builtin(t)
	for i := range before {
		if got, want := comparable(after[i]), comparable(before[i]); got != want {
			t.Errorf("interview %d differs after the round trip:\n got %s\nwant %s", i, got, want)
		}
		if got, want := summaryJSON(t, after[i], f), summaryJSON(t, before[i], f); got != want {
			t.Errorf("summary %d differs", i)
		}
		last := after[i].Audit[len(after[i].Audit)-1]
		if last.Event != record.EventImported || last.Interviewer != "Caseworker" {
			t.Errorf("no imported audit event: %+v", last)
		}
	}
	if _, err := dst.Flow(f.Hash); err != nil {
		t.Errorf("flow not imported: %v", err)
	}

	// Importing it again changes nothing.
	ir, err = Import(context.Background(), dst, path, nil, "")
	if err != nil || len(ir.Skipped) != 4 || len(ir.Added)+len(ir.Conflicts) != 0 {
		t.Fatalf("second import = %+v, %v", ir, err)
	}

	// The source records the transfer; a plaintext bundle is no handover
	// to a recipient, so completed ones stay completed (TestRoundTripEncrypted:
	// they become exported), and the draft stays a draft.
	if err := MarkExported(context.Background(), src, rep); err != nil {
		t.Fatal(err)
	}
	for _, iv := range all(t, src) {
		last := iv.Audit[len(iv.Audit)-1]
		if last.Event != record.EventExported {
			t.Fatalf("last audit event = %+v", last)
		}
		mustContain(t, last.Detail, "bundle_sha256="+rep.SHA256, `purpose="referral to legal aid"`, "recipients=none (plaintext)")
		want := record.StatusCompleted
		if iv.CompletedAt == nil {
			want = record.StatusDraft
		}
		if iv.Status != want {
			t.Errorf("status = %s, want %s", iv.Status, want)
		}
	}
	// An exported-then-marked interview is still the same interview.
	path2 := filepath.Join(t.TempDir(), "again.json")
	exportBundle(t, src, plainOpts(path2))
	if ir, err = Import(context.Background(), dst, path2, nil, ""); err != nil || len(ir.Skipped) != 4 {
		t.Fatalf("import after marking = %+v, %v", ir, err)
	}
}

func TestRoundTripEncrypted(t *testing.T) {
	src := newStore(t)
	fill(t, src, 3)
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	other, _ := age.GenerateX25519Identity()
	for _, armored := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "bundle.age")
		opt := plainOpts(path)
		opt.Plaintext = false
		opt.Armor = armored
		opt.Recipients = []Recipient{recipientFor(t, other), recipientFor(t, id)}
		data, rep := exportBundle(t, src, opt)
		if armored != bytes.HasPrefix(data, []byte(armorMagic)) || !armored != bytes.HasPrefix(data, []byte(ageMagic)) {
			t.Fatalf("armored=%v: file starts %q", armored, data[:40])
		}
		if bytes.Contains(data, []byte("Example")) || bytes.Contains(data, []byte("trafficking")) {
			t.Fatal("plaintext visible in the encrypted bundle")
		}
		if len(rep.Recipients) != 2 || rep.Recipients[1] != Fingerprint(id.Recipient().String()) {
			t.Errorf("fingerprints = %v", rep.Recipients)
		}
		if _, _, err := readBundle(data); !errors.Is(err, ErrEncrypted) {
			t.Errorf("no identity: err = %v", err)
		}
		wrong, _ := age.GenerateX25519Identity()
		if _, _, err := readBundle(data, wrong); !errors.Is(err, ErrWrongIdentity) {
			t.Errorf("wrong identity: err = %v", err)
		}
		_, ivs, err := readBundle(data, id)
		if err != nil || len(ivs) != 3 {
			t.Fatalf("read = %d, %v", len(ivs), err)
		}
		dst := newStore(t)
		ir, err := Import(context.Background(), dst, path, []age.Identity{id}, "")
		if err != nil || len(ir.Added) != 3 {
			t.Fatalf("import = %+v, %v", ir, err)
		}
		for i, iv := range all(t, dst) {
			if comparable(iv) != comparable(all(t, src)[i]) {
				t.Errorf("interview %d differs", i)
			}
		}
		if armored {
			continue
		}
		// A bundle to recipients is a handover: completed ones become
		// exported.
		if err := MarkExported(context.Background(), src, rep); err != nil {
			t.Fatal(err)
		}
		for _, iv := range all(t, src) {
			if iv.CompletedAt != nil && iv.Status != record.StatusExported {
				t.Errorf("after a handover: status %s", iv.Status)
			}
		}
	}
}

// TestAgeCommandDecrypts checks the promise to caseworkers: the standard
// age tool opens a bundle.
func TestAgeCommandDecrypts(t *testing.T) {
	ageBin, err := exec.LookPath("age")
	if err != nil {
		t.Skip("the age command is not installed (Debian: apt-get install age); skipping the interoperability test")
	}
	src := newStore(t)
	fill(t, src, 2)
	id := fixedIdentity(t)
	dir := t.TempDir()
	key := filepath.Join(dir, "key.txt")
	os.WriteFile(key, []byte("# created by a test\n# public key: "+id.Recipient().String()+"\n"+testIdentity+"\n"), 0o600)
	for _, armored := range []bool{false, true} {
		path := filepath.Join(dir, "b"+map[bool]string{false: ".age", true: ".asc"}[armored])
		opt := plainOpts(path)
		opt.Plaintext, opt.Armor, opt.Recipients = false, armored, []Recipient{recipientFor(t, id)}
		_, rep := exportBundle(t, src, opt)
		out, err := exec.Command(ageBin, "-d", "-i", key, path).Output()
		if err != nil {
			t.Fatalf("age -d: %v", err)
		}
		sum := sha256.Sum256(out)
		if hex.EncodeToString(sum[:]) != rep.SHA256 {
			t.Error("age decrypted something other than the bundle that was hashed")
		}
		if _, ivs, err := readBundle(out); err != nil || len(ivs) != 2 {
			t.Errorf("decrypted bundle: %d interviews, %v", len(ivs), err)
		}
	}
}

// TestSchema validates real bundles against schema/bundle.schema.json.
func TestSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	sch, err := c.Compile(filepath.Join("..", "..", "schema", "bundle.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	st := newStore(t)
	fill(t, st, 3)
	recordOne(t, st, builtin(t), "in-origin-country.yaml", time.Now(), false)
	data, _ := exportBundle(t, st, plainOpts(filepath.Join(t.TempDir(), "b.json")))
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(doc); err != nil {
		t.Fatalf("a real bundle does not validate: %v", err)
	}
	// The schema is not vacuous.
	for _, bad := range []string{
		strings.Replace(string(data), `"schema_version": 2`, `"schema_version": 3`, 1),
		strings.Replace(string(data), `"status":"completed"`, `"status":"lost"`, 1),
		strings.Replace(string(data), `"purpose":`, `"porpose":`, 1),
		strings.Replace(string(data), `"interviews_sha256":`, `"interviews_sha":`, 1),
		strings.Replace(string(data), `"interviews_sha256": "`, `"interviews_sha256": "x`, 1),
	} {
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(bad))
		if err != nil {
			t.Fatal(err)
		}
		if sch.Validate(doc) == nil {
			t.Error("a broken bundle validates")
		}
	}
}

func TestCSV(t *testing.T) {
	st := newStore(t)
	ivs := fill(t, st, 3)
	path := filepath.Join(t.TempDir(), "b.csv")
	opt := plainOpts(path)
	opt.Format = "csv"
	data, rep := exportBundle(t, st, opt)
	if !rep.Verified {
		t.Fatal("not verified")
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows, want header + 3", len(rows))
	}
	col := map[string]int{}
	for i, c := range rows[0] {
		col[c] = i
	}
	for _, c := range []string{"interview_id", "status", "outcome", "consent", "trafficking_act", "wishes_to_return"} {
		if _, ok := col[c]; !ok {
			t.Errorf("no column %q", c)
		}
	}
	r := rows[1]
	if r[col["interview_id"]] != ivs[0].ID || r[col["trafficking_act"]] != "recruited;transported;harboured" ||
		r[col["age"]] != "24" || r[col["outcome"]] != "urgent_referral" {
		t.Errorf("row 1 = %v", r)
	}
	if DefuseCell("=HYPERLINK(1)") != "'=HYPERLINK(1)" || DefuseCell("ok") != "ok" {
		t.Error("formula text not defused")
	}
	// Encrypted CSV follows the same rules.
	opt = plainOpts(filepath.Join(t.TempDir(), "b.csv.age"))
	opt.Format, opt.Plaintext = "csv", false
	if _, err := Export(context.Background(), st, Selection{}, opt); !errors.Is(err, ErrPlaintext) {
		t.Errorf("csv without recipients: %v", err)
	}
}

func TestSelection(t *testing.T) {
	st := newStore(t)
	ivs := fill(t, st, 3)
	recordOne(t, st, builtin(t), "no-consent.yaml", time.Now(), false)
	dir := t.TempDir()
	rep, err := Export(context.Background(), st, Selection{IDs: []string{ivs[2].ID, ivs[0].ID}}, plainOpts(filepath.Join(dir, "a.json")))
	if err != nil || len(rep.IDs) != 2 {
		t.Fatalf("by id: %v %v", rep, err)
	}
	rep, err = Export(context.Background(), st, Selection{Status: record.StatusDraft}, plainOpts(filepath.Join(dir, "b.json")))
	if err != nil || len(rep.IDs) != 1 {
		t.Fatalf("by status: %v %v", rep, err)
	}
	if _, err := Export(context.Background(), st, Selection{Status: record.StatusExported}, plainOpts(filepath.Join(dir, "c.json"))); !errors.Is(err, ErrNothing) {
		t.Errorf("nothing: %v", err)
	}
	if _, err := Export(context.Background(), st, Selection{}, plainOpts(filepath.Join(dir, "a.json"))); !errors.Is(err, ErrExists) {
		t.Errorf("existing file: %v", err)
	}
}

// failingSource fails partway through the second walk.
type failingSource struct {
	*store.Store
	after, n int
}

func (f *failingSource) Each(ctx context.Context, s record.Status, fn func(*record.Interview) error) error {
	return f.Store.Each(ctx, s, func(iv *record.Interview) error {
		f.n++
		if f.n > f.after {
			return errors.New("disk on fire")
		}
		return fn(iv)
	})
}

func TestNoPartialFile(t *testing.T) {
	st := newStore(t)
	fill(t, st, 3)
	for _, enc := range []bool{false, true} {
		dir := t.TempDir()
		path := filepath.Join(dir, "bundle")
		opt := plainOpts(path)
		if enc {
			opt.Plaintext, opt.Recipients = false, []Recipient{recipientFor(t, fixedIdentity(t))}
		}
		_, err := Export(context.Background(), &failingSource{Store: st, after: 3 + 2}, Selection{}, opt) // pass 1 + two interviews
		if err == nil || !strings.Contains(err.Error(), "disk on fire") {
			t.Fatalf("err = %v", err)
		}
		if names := listDir(t, dir); len(names) != 0 {
			t.Errorf("files left behind: %v", names)
		}
	}
	// Nothing was marked.
	for _, iv := range all(t, st) {
		if iv.Status != record.StatusCompleted {
			t.Errorf("status %s after a failed export", iv.Status)
		}
	}
}

func TestPurgeAfterExport(t *testing.T) {
	st := newStore(t)
	fill(t, st, 3)
	keep := recordOne(t, st, builtin(t), "no-consent.yaml", time.Now(), false)

	// A failed export erases nothing (the report never becomes verified).
	if err := Purge(st, nil); !errors.Is(err, ErrNotVerified) {
		t.Errorf("purge without a bundle: %v", err)
	}
	if err := Purge(st, &Report{IDs: []string{keep.ID}}); !errors.Is(err, ErrNotVerified) {
		t.Errorf("purge of an unverified bundle: %v", err)
	}
	if n := len(all(t, st)); n != 4 {
		t.Fatalf("%d interviews after refused purges", n)
	}

	path := filepath.Join(t.TempDir(), "b.age")
	opt := plainOpts(path)
	opt.Plaintext, opt.Recipients = false, []Recipient{recipientFor(t, fixedIdentity(t))}
	rep, err := Export(context.Background(), st, Selection{Status: record.StatusCompleted}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := MarkExported(context.Background(), st, rep); err != nil {
		t.Fatal(err)
	}
	if err := Purge(st, rep); err != nil {
		t.Fatal(err)
	}
	left := all(t, st)
	if len(left) != 1 || left[0].ID != keep.ID {
		t.Fatalf("left after purge: %d", len(left))
	}
	// The bundle still holds them.
	dst := newStore(t)
	if ir, err := Import(context.Background(), dst, path, []age.Identity{fixedIdentity(t)}, ""); err != nil || len(ir.Added) != 3 {
		t.Fatalf("import of the purged bundle: %+v %v", ir, err)
	}
}
