package bundle

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"fieldscreen/internal/sign"
)

func compileSchema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	sch, err := jsonschema.NewCompiler().Compile(filepath.Join("..", "..", "schema", name))
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validates(t *testing.T, sch *jsonschema.Schema, data []byte) error {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return sch.Validate(doc)
}

func signedOpts(t *testing.T, path, scope string) Options {
	t.Helper()
	k, err := sign.Generate()
	if err != nil {
		t.Fatal(err)
	}
	opt := plainOpts(path)
	opt.Manifest = func(n int) (*sign.Manifest, error) {
		m, err := sign.NewManifest(k, scope, n)
		return &m, err
	}
	opt.FileHash = sign.NewHasher()
	return opt
}

// TestExtractSchema: an extract as ExportExtract writes it validates
// against schema/extract.schema.json, and a signed bundle (with its
// manifest) against schema/bundle.schema.json.
func TestExtractSchema(t *testing.T) {
	st := newStore(t)
	fill(t, st, 3)
	dir := t.TempDir()

	opt := ExtractOptions{Options: signedOpts(t, filepath.Join(dir, "legal.json"), "asylum_and_legal"), Service: "asylum_and_legal"}
	rep, err := ExportExtract(context.Background(), st, Selection{}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Manifest == nil || rep.Manifest.Scope != "asylum_and_legal" || rep.Manifest.Interviews != len(rep.IDs) || len(rep.IDs) == 0 {
		t.Fatalf("report %+v, manifest %+v", rep, rep.Manifest)
	}
	data, err := os.ReadFile(opt.Path)
	if err != nil {
		t.Fatal(err)
	}
	ext := compileSchema(t, "extract.schema.json")
	if err := validates(t, ext, data); err != nil {
		t.Fatalf("a real extract does not validate: %v\n%s", err, data)
	}
	if m, err := ReadExtractManifest(bytes.NewReader(data)); err != nil || *m != *rep.Manifest {
		t.Fatalf("the manifest reads back as %+v, %v", m, err)
	}
	for _, bad := range []string{
		strings.Replace(string(data), `"consent":"`, `"consent":"maybe`, 1),
		strings.Replace(string(data), `"format": "fieldscreen-extract-1"`, `"format": "fieldscreen-extract-2"`, 1),
		strings.Replace(string(data), `"interviews":`, `"answers": [], "interviews":`, 1),
	} {
		if validates(t, ext, []byte(bad)) == nil {
			t.Error("a broken extract validates")
		}
	}

	// A signed full bundle carries its manifest, which the schema knows.
	bopt := signedOpts(t, filepath.Join(dir, "b.json"), sign.ScopeFull)
	data, brep := exportBundle(t, st, bopt)
	if brep.Manifest == nil || !bytes.Contains(data, []byte(`"manifest": {"bundle_id":"`+brep.Manifest.BundleID)) {
		t.Fatalf("the bundle does not carry its manifest:\n%.600s", data)
	}
	if err := validates(t, compileSchema(t, "bundle.schema.json"), data); err != nil {
		t.Fatalf("a signed bundle does not validate: %v", err)
	}
	r, _, err := readBundle(data)
	if err != nil || r.Header.Manifest == nil || *r.Header.Manifest != *brep.Manifest {
		t.Fatalf("the manifest reads back as %+v, %v", r.Header.Manifest, err)
	}
}
