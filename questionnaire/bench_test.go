package questionnaire

import (
	"os"
	"path/filepath"
	"testing"
)

func realisticAnswers(b *testing.B) []byte {
	src, err := os.ReadFile(filepath.Join(scenarioDir, "adult_trafficked_abroad_under_control.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	return src
}

// BenchmarkScore scores one realistic, fully answered interview.
func BenchmarkScore(b *testing.B) {
	f := builtin(b)
	af, err := f.ParseAnswers("a.yaml", realisticAnswers(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.Score(af.Answers); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadBuiltin parses, validates and compiles the built-in flow.
func BenchmarkLoadBuiltin(b *testing.B) {
	src := BuiltinSource()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(BuiltinName, src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseAnswers reads and checks one realistic answers file.
func BenchmarkParseAnswers(b *testing.B) {
	f := builtin(b)
	src := realisticAnswers(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.ParseAnswers("a.yaml", src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVisible walks the flow once for one realistic, fully answered
// interview: what the live interview does after every answer.
func BenchmarkVisible(b *testing.B) {
	f := builtin(b)
	af, err := f.ParseAnswers("a.yaml", realisticAnswers(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.Visible(af.Answers); err != nil {
			b.Fatal(err)
		}
	}
}
