package bundle

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// TestFormats: every format in the registry writes an export of its own
// (a bundle that reads back for the importable ones), and an unknown
// format is refused naming the registry's formats.
func TestFormats(t *testing.T) {
	st := newStore(t)
	fill(t, st, 2)
	if names := FormatNames(); len(names) < 2 || names[0] != defaultFormat {
		t.Fatalf("formats %v: the default must come first", names)
	}
	for _, f := range Formats() {
		if f.Name == "" || f.Ext == "" || f.Help == "" || f.newWriter == nil {
			t.Fatalf("format %+v is incomplete", f)
		}
		opt := plainOpts(filepath.Join(t.TempDir(), "out"+f.Ext))
		opt.Format = f.Name
		data, rep := exportBundle(t, st, opt)
		if rep.Format != f.Name || len(rep.IDs) != 2 || rep.Importable != f.Importable {
			t.Fatalf("format %s: report %+v", f.Name, rep)
		}
		if f.Importable {
			if _, ivs, err := readBundle(data); err != nil || len(ivs) != 2 {
				t.Fatalf("format %s reads back %d interviews, %v", f.Name, len(ivs), err)
			}
		}
	}
	opt := plainOpts(filepath.Join(t.TempDir(), "out.xml"))
	opt.Format = "xml"
	_, err := Export(context.Background(), st, Selection{}, opt)
	if !errors.Is(err, ErrOptions) || err.Error() != `invalid export options: format must be json, csv or htcds, not "xml"` {
		t.Fatalf("unknown format: %v", err)
	}
}
