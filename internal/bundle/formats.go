package bundle

import (
	"context"
	"io"
	"strings"

	"fieldscreen/internal/htcds"
	"fieldscreen/questionnaire"
)

// Format is one format an export can write. The formats are listed once,
// in formats: Options.Format names one, and the CLI's --format flag, its
// help and its completion read the list. To add a format, write an
// interviewWriter and add a line here.
type Format struct {
	Name string // the value of Options.Format and of --format
	Ext  string // the usual file extension, with its dot
	Help string // what it is, in a few words, for help and completion
	// Answers says the format carries the interviews' answers: it is
	// personal data, encrypted unless the person chose --plaintext.
	Answers bool
	// Importable says 'fieldscreen import' reads it back: an export in it
	// is decoded as an import would before anything is erased, it can hand
	// interviews over, and --purge-after-export may follow it.
	Importable bool
	// newWriter starts the format's writer for one export.
	newWriter func(ctx context.Context, w io.Writer, x writeInput) interviewWriter
}

// writeInput is what a format's writer may need of an export.
type writeInput struct {
	header Header                // the JSON bundle's header
	flows  []*questionnaire.Flow // the flows the interviews were taken with, in bundle order
	dir    func(f *questionnaire.Flow) *questionnaire.Directory
	// mapping is the HTCDS mapping to write with (nil: the built-in
	// flow's); fieldReport receives the htcds format's report of the
	// fields it left empty or coarsened.
	mapping     *htcds.Mapping
	fieldReport *string
	// written, if set, is told of each interview as the json writer
	// scored it, before its line is written (the export's import check).
	written func(iv *Interview)
}

var formats = []Format{
	{
		Name: "json", Ext: ".json", Help: "a bundle 'import' reads", Answers: true, Importable: true,
		newWriter: func(ctx context.Context, w io.Writer, x writeInput) interviewWriter {
			j := newJSONWriter(ctx, w, x.header)
			j.dir = x.dir
			j.written = x.written
			return j
		},
	},
	{
		Name: "csv", Ext: ".csv", Help: "one row per interview", Answers: true,
		newWriter: func(_ context.Context, w io.Writer, x writeInput) interviewWriter {
			return newCSVWriter(w, x.flows)
		},
	},
	{
		Name: "htcds", Ext: ".csv", Help: "Human Trafficking Case Data Standard 2.0 rows (CSV)", Answers: true,
		newWriter: func(_ context.Context, w io.Writer, x writeInput) interviewWriter {
			return newHTCDSWriter(w, x)
		},
	},
}

// defaultFormat is the format of an export that names none.
const defaultFormat = "json"

// Formats returns the export formats, the default first.
func Formats() []Format { return append([]Format(nil), formats...) }

// FormatNamed returns the format of that name.
func FormatNamed(name string) (Format, bool) {
	for _, f := range formats {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}

// FormatNames returns the formats' names, the default first.
func FormatNames() []string {
	out := make([]string, len(formats))
	for i, f := range formats {
		out[i] = f.Name
	}
	return out
}

// orList joins names as "a or b", "a, b or c".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
