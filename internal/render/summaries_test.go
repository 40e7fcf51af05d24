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
		{"table", func(b *bytes.Buffer) SummaryWriter { return TableSummaries(b, zone, "", 0) }, "",
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

// TestTableOneLanguageFitsTerminal: a table of interviews in several
// languages is in one language (the one asked, else the flow's default),
// its referral counts too; to a file or a pipe (width 0) it has every
// column whole; on an 80-column terminal every line fits, and ID,
// OUTCOME, SITUATION and REFERRALS stay.
func TestTableOneLanguageFitsTerminal(t *testing.T) {
	f := builtin(t)
	var rows []Scored
	for i, lang := range []string{"fr", "en", "es"} {
		sum, err := f.Score(scenarios[i%len(scenarios)].answers)
		if err != nil {
			t.Fatal(err)
		}
		done := time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC)
		sum.InterviewID, sum.Location, sum.Interviewer, sum.Language, sum.CompletedAt = "0190aaaa-bbbb-7ccc-8ddd-eeee1234567"+string(rune('0'+i)), "LOC-01", "A. Officer", lang, &done
		rows = append(rows, Scored{Flow: f, Summary: sum, Lang: lang})
	}
	write := func(lang string, width int) string {
		var b bytes.Buffer
		w := TableSummaries(&b, time.UTC, lang, width)
		for _, s := range rows {
			if err := w.Write(s); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	situation := func(s Scored, lang string) string {
		return FieldValue(f, "situation", s.Summary.Get("situation"), lang)
	}
	for _, c := range []struct{ ask, want string }{{"", "en"}, {"fr", "fr"}, {"es", "es"}} {
		out := write(c.ask, 0)
		for _, s := range rows {
			if w := situation(s, c.want); !strings.Contains(out, "  "+w+"  ") {
				t.Errorf("--lang %q: no whole situation %q in %s:\n%s", c.ask, w, c.want, out)
			}
			for _, other := range []string{"en", "fr", "es"} {
				if w := situation(s, other); other != c.want && w != situation(s, c.want) && strings.Contains(out, w) {
					t.Errorf("--lang %q: a situation in %s (%q) in a table in %s:\n%s", c.ask, other, w, c.want, out)
				}
			}
		}
		if c.want != "en" && strings.Contains(out, " urgent)") {
			t.Errorf("--lang %q: the urgent count in English:\n%s", c.ask, out)
		}
		if !strings.Contains(strings.SplitN(out, "\n", 2)[0], "INTERVIEWER") {
			t.Errorf("to a file, a column is left out:\n%s", out)
		}
	}
	for _, lang := range []string{"en", "fr", "es"} {
		out := write(lang, 80)
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		for _, l := range lines {
			if n := len([]rune(l)); n > 80 {
				t.Errorf("%s: a line of %d on an 80-column terminal: %q", lang, n, l)
			}
		}
		for _, h := range []string{"ID", "OUTCOME", "SITUATION", "REFERRALS"} {
			if !strings.Contains(lines[0], h) {
				t.Errorf("%s: no %s on an 80-column terminal:\n%s", lang, h, out)
			}
		}
	}
}
