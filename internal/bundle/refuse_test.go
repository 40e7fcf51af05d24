package bundle

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"fieldscreen/internal/record"
	"fieldscreen/internal/store"
)

func TestRefuseOptions(t *testing.T) {
	st := newStore(t)
	fill(t, st, 1)
	dir := t.TempDir()
	r := recipientFor(t, fixedIdentity(t))
	for name, opt := range map[string]Options{
		"no recipients":        {Path: filepath.Join(dir, "a"), Purpose: "p"},
		"no purpose":           {Path: filepath.Join(dir, "b"), Plaintext: true},
		"both":                 {Path: filepath.Join(dir, "c"), Purpose: "p", Plaintext: true, Recipients: []Recipient{r}},
		"armor without crypto": {Path: filepath.Join(dir, "d"), Purpose: "p", Plaintext: true, Armor: true},
		"bad format":           {Path: filepath.Join(dir, "e"), Purpose: "p", Plaintext: true, Format: "xml"},
	} {
		_, err := Export(context.Background(), st, Selection{}, opt)
		if err == nil {
			t.Errorf("%s: no error", name)
		}
		if name == "no recipients" && !errors.Is(err, ErrPlaintext) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if names := listDir(t, dir); len(names) != 0 {
		t.Errorf("files written: %v", names)
	}
}

func TestBadRecipients(t *testing.T) {
	for _, s := range []string{"", "bob@example.org", "age1notakey", "ssh-ed25519 AAAA", testIdentity, strings.ToLower(testIdentity)} {
		_, err := ParseRecipient(s)
		if !errors.Is(err, ErrBadRecipient) {
			t.Errorf("%q: err = %v", s, err)
			continue
		}
		if strings.Contains(strings.ToUpper(err.Error()), testIdentity[15:]) {
			t.Errorf("the error repeats a secret key: %v", err)
		}
	}
	file := "# caseworkers\n\n" + fixedIdentity(t).Recipient().String() + "\n  # indented comment\nage1bad\n"
	if _, err := ReadRecipients("keys.txt", strings.NewReader(file)); err == nil || !strings.Contains(err.Error(), "keys.txt:5") {
		t.Errorf("bad line: %v", err)
	}
	rs, err := ReadRecipients("keys.txt", strings.NewReader(file[:strings.Index(file, "age1bad")]))
	if err != nil || len(rs) != 1 {
		t.Errorf("good file: %v %v", rs, err)
	}
	if _, err := ReadRecipients("empty.txt", strings.NewReader("# nobody\n")); !errors.Is(err, ErrBadRecipient) {
		t.Errorf("empty file: %v", err)
	}
}

// refusedBundle writes data as a bundle, imports it into a store holding
// one interview, and checks it is refused whole, naming the file.
func refusedBundle(t *testing.T, st *store.Store, data []byte, ids []age.Identity, want error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "suspect-bundle.json")
	os.WriteFile(path, data, 0o600)
	_, err := Import(context.Background(), st, path, ids, "")
	if err == nil {
		t.Fatal("imported a bad bundle")
	}
	if !errors.Is(err, want) {
		t.Errorf("err = %v, want %v", err, want)
	}
	if !strings.Contains(err.Error(), "suspect-bundle.json") {
		t.Errorf("error does not name the file: %v", err)
	}
	if n := len(all(t, st)); n != 1 {
		t.Errorf("%d interviews in the store after a refused import", n)
	}
}

func goodBundle(t *testing.T, n int) []byte {
	t.Helper()
	st := newStore(t)
	fill(t, st, n)
	data, _ := exportBundle(t, st, plainOpts(filepath.Join(t.TempDir(), "b.json")))
	return data
}

func TestRefuseMalformed(t *testing.T) {
	good := goodBundle(t, 3)
	s := string(good)
	st := newStore(t)
	fill(t, st, 1)
	cases := map[string]string{
		"empty":              "",
		"not json":           "hello",
		"csv":                "interview_id,status\n1,2\n",
		"array":              "[]",
		"wrong version":      strings.Replace(s, `"schema_version": 2`, `"schema_version": 9`, 1),
		"no version":         strings.Replace(s, `"schema_version": 2,`, ``, 1),
		"unknown field":      strings.Replace(s, `"purpose":`, `"x": 1, "purpose":`, 1),
		"unknown iv field":   strings.Replace(s, `"interview_id":`, `"secret":1,"interview_id":`, 1),
		"bad status":         strings.Replace(s, `"status":"completed"`, `"status":"gone"`, 1),
		"bad id":             strings.Replace(s, `"interview_id":"`, `"interview_id":"x`, 1),
		"bad value":          strings.Replace(s, `"value":24`, `"value":{"a":1}`, 1),
		"float value":        strings.Replace(s, `"value":24`, `"value":24.5`, 1),
		"unknown question":   strings.Replace(s, `"id":"age"`, `"id":"agee"`, 1),
		"trailing garbage":   s + "{}",
		"fields after list":  strings.TrimSuffix(strings.TrimSpace(s), "}") + `,"purpose":"x"}`,
		"duplicate":          strings.Replace(s, "\n]", ","+s[strings.Index(s, "\n{")+1:strings.Index(s, "},\n{")+1]+"\n]", 1),
		"flow changed":       strings.Replace(s, `trafficking`, `trafficking `, 1),
		"flow hash mismatch": strings.Replace(s, `"hash":"sha256:`, `"hash":"sha256:0`, 1),
		"unknown flow":       strings.Replace(s, `"flow":{"id":"trafficking-refugee-screening","version":"2.0.0","hash":"sha256:`, `"flow":{"id":"trafficking-refugee-screening","version":"2.0.0","hash":"sha256:1`, 1),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			if data == s {
				t.Fatal("the test case did not change the bundle")
			}
			refusedBundle(t, st, []byte(data), nil, ErrInvalid)
		})
	}
}

func TestRefuseTruncated(t *testing.T) {
	good := goodBundle(t, 2)
	st := newStore(t)
	fill(t, st, 1)
	for _, n := range []int{1, 10, 100, len(good) / 3, len(good) / 2, len(good) - 20, len(good) - 4} {
		_, _, err := readBundle(good[:n])
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("cut at %d of %d: err = %v", n, len(good), err)
		}
	}
	refusedBundle(t, st, good[:len(good)-10], nil, ErrInvalid)
	// Every cut is refused, not just these.
	for n := 0; n < len(good)-2; n += 97 {
		if _, _, err := readBundle(good[:n]); err == nil {
			t.Fatalf("cut at %d accepted", n)
		}
	}
}

func TestRefuseTamperedEncrypted(t *testing.T) {
	src := newStore(t)
	fill(t, src, 2)
	st := newStore(t)
	fill(t, st, 1)
	id := fixedIdentity(t)
	for _, armored := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "b.age")
		opt := plainOpts(path)
		opt.Plaintext, opt.Armor, opt.Recipients = false, armored, []Recipient{recipientFor(t, id)}
		data, _ := exportBundle(t, src, opt)
		ids := []age.Identity{id}
		// Truncated: cut in the payload.
		refusedBundle(t, st, data[:len(data)-40], ids, ErrDamaged)
		if !armored {
			// Tampered: one byte of the payload changed.
			bad := bytes.Clone(data)
			bad[len(bad)-100] ^= 1
			refusedBundle(t, st, bad, ids, ErrDamaged)
			// Header changed.
			bad = bytes.Clone(data)
			bad[40] ^= 1
			if _, err := Import(context.Background(), st, writeTemp(t, bad), ids, ""); err == nil {
				t.Error("tampered header imported")
			}
		}
		// Wrong identity imports nothing.
		wrong, _ := age.GenerateX25519Identity()
		refusedBundle(t, st, data, []age.Identity{wrong}, ErrWrongIdentity)
		refusedBundle(t, st, data, nil, ErrEncrypted)
	}
}

func writeTemp(t *testing.T, data []byte) string {
	p := filepath.Join(t.TempDir(), "x")
	os.WriteFile(p, data, 0o600)
	return p
}

func TestConflict(t *testing.T) {
	st := newStore(t)
	ivs := fill(t, st, 3)
	path := filepath.Join(t.TempDir(), "b.json")
	exportBundle(t, st, plainOpts(path))

	dst := newStore(t)
	// dst already holds a different interview with the first ID.
	other := *ivs[0]
	other.Answers = append([]record.Answer(nil), ivs[0].Answers...)
	other.Answers[1].Value = 99
	if err := dst.Put(&other); err != nil {
		t.Fatal(err)
	}
	ir, err := Import(context.Background(), dst, path, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(ir.Conflicts) != 1 || ir.Conflicts[0] != ivs[0].ID || len(ir.Added) != 2 {
		t.Fatalf("import = %+v", ir)
	}
	kept, err := dst.Get(ivs[0].ID)
	if err != nil || kept.Answers[1].Value != 99 {
		t.Errorf("the stored interview was overwritten")
	}
}

// TestTruncatedSaysWhereItEnds: a plaintext bundle cut short anywhere is
// refused as truncated, and the message gives the byte where the copy
// ends (what a caseworker compares with the sender's file), also when
// the cut falls inside the header's flows, one value of many kilobytes.
func TestTruncatedSaysWhereItEnds(t *testing.T) {
	st := newStore(t)
	fill(t, st, 2)
	data, _ := exportBundle(t, st, plainOpts(filepath.Join(t.TempDir(), "b.json")))
	flows := bytes.Index(data, []byte(`"flows": [`))
	ivs := bytes.Index(data, []byte(`"interviews": [`))
	if flows < 0 || ivs < 0 {
		t.Fatal("no flows or interviews in the bundle")
	}
	for _, cut := range []int{flows + 20, flows + (ivs-flows)/2, ivs + 100, len(data) - 200} {
		path := filepath.Join(t.TempDir(), "cut.json")
		if err := os.WriteFile(path, data[:cut], 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Verify(context.Background(), path, nil, nil)
		if err == nil || !errors.Is(err, ErrInvalid) {
			t.Fatalf("cut at %d: %v, want a refusal as invalid", cut, err)
		}
		if want := fmt.Sprintf("it is truncated: it ends at byte %d", cut); !strings.Contains(err.Error(), want) {
			t.Errorf("cut at %d: %v\nwant %q", cut, err, want)
		}
	}
}
