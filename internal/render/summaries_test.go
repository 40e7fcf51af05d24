package render

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestSummaryWriters: every format ends cleanly with no summary, and with
// one a table shows its completion time in the zone it is given, a CSV
// cell cannot start a formula, and a JSON array holds it.
func TestSummaryWriters(t *testing.T) {
	f := builtin(t)
	sum, err := f.Score(scenarios[0].answers)
	if err != nil {
		t.Fatal(err)
	}
	done := time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC)
	sum.InterviewID, sum.Location, sum.CompletedAt = "0190aaaa-bbbb-7ccc-8ddd-eeee12345678", "=cmd()", &done
	s := Scored{Flow: f, Summary: sum, Lang: "en"}
	zone := time.FixedZone("", 2*3600)
	for _, c := range []struct {
		name       string
		new        func(*bytes.Buffer) SummaryWriter
		empty      string
		want, nope []string
	}{
		{"json", func(b *bytes.Buffer) SummaryWriter { return JSONSummaries(b) }, "[]\n",
			[]string{"[\n  {", `"interview_id": "0190aaaa-bbbb-7ccc-8ddd-eeee12345678"`, "\n]\n"}, nil},
		{"jsonl", func(b *bytes.Buffer) SummaryWriter { return JSONLinesSummaries(b) }, "",
			[]string{`"interview_id":"0190aaaa-bbbb-7ccc-8ddd-eeee12345678"`}, nil},
		{"csv", func(b *bytes.Buffer) SummaryWriter { return CSVSummaries(b) }, strings.Join(csvColumns, ",") + "\n",
			[]string{"'=cmd()", "2026-03-01T23:30:00Z"}, []string{",=cmd()"}},
		{"table", func(b *bytes.Buffer) SummaryWriter { return TableSummaries(b, zone) }, "",
			[]string{"12345678", "2026-03-02 01:30 +02:00"}, []string{"0190aaaa"}},
		{"text", func(b *bytes.Buffer) SummaryWriter { return TextSummaries(b, Options{}) }, "", nil, nil},
	} {
		var b bytes.Buffer
		w := c.new(&b)
		if err := w.Close(); err != nil {
			t.Fatalf("%s: close: %v", c.name, err)
		}
		if got := b.String(); c.name != "table" && got != c.empty {
			t.Errorf("%s with no summary: %q, want %q", c.name, got, c.empty)
		}
		b.Reset()
		w = c.new(&b)
		if err := w.Write(s); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if err := w.Close(); err != nil {
			t.Fatalf("%s: close: %v", c.name, err)
		}
		got := b.String()
		if got == "" {
			t.Errorf("%s wrote nothing for a summary", c.name)
		}
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s lacks %q:\n%s", c.name, w, got)
			}
		}
		for _, w := range c.nope {
			if strings.Contains(got, w) {
				t.Errorf("%s holds %q:\n%s", c.name, w, got)
			}
		}
	}
}
