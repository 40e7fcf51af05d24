package render

import (
	"strings"
	"testing"
)

func TestCleanAndAnswersMarkdown(t *testing.T) {
	if got := Clean("a\x1b[31mred\x07\u009b2J\tb\nc"); got != "a[31mred2J\tb\nc" {
		t.Errorf("Clean = %q", got)
	}
	var b strings.Builder
	err := AnswersMarkdown(&b, []AnswerRow{{ID: "town", Label: "Town?", Text: "x\n## Referrals\n| fake |\x1b]0;title\x07"}})
	if err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "\n##") || strings.Contains(out, "\x1b") || strings.Count(out, "\n") != 1 {
		t.Errorf("free text escaped badly: %q", out)
	}
	if !strings.Contains(out, `\#\# Referrals \| fake \|`) {
		t.Errorf("markdown characters not escaped: %q", out)
	}
}
