package textsafe

import (
	"encoding/json"
	"strings"
	"testing"
)

// hostile are the strings an attacker puts in a bundle: escape sequences
// that retitle a terminal, set its clipboard (OSC 52) or clear it, an
// 8-bit CSI, a carriage return that overwrites a line, bidirectional
// overrides, a spreadsheet formula, HTML and a Markdown link.
var hostile = []string{
	"\x1b]0;pwned\x07",
	"\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07",
	"\x1b[2J\x1b[H",
	"\u009b31m",
	"ok\rforged",
	"\u202eevil\u202c",
	"=cmd|' /C calc'!A0",
	"<script>alert(1)</script>",
	"[x](javascript:alert(1))",
	"![img](http://evil/x.png)",
	"bad \xff byte",
}

func TestTerminal(t *testing.T) {
	for _, s := range hostile {
		got := Terminal(s)
		if strings.ContainsFunc(got, unsafeRune) || strings.ContainsAny(got, "\x1b\x07\r\u009b\u202e") {
			t.Errorf("Terminal(%q) = %q", s, got)
		}
	}
	for _, s := range []string{"", "José, Bogotá", "line\nnext\ttab", "لاجئ", "fine – 30 €", "soft\u00adhyphen"} {
		if got := Terminal(s); got != s {
			t.Errorf("Terminal(%q) = %q, want it unchanged", s, got)
		}
	}
	if got := Terminal("a\x1b[31mred\x07\u009b2J\tb\nc"); got != "a[31mred2J\tb\nc" {
		t.Errorf("Terminal = %q", got)
	}
	if got := Line("a\nb\tc\x1b"); got != "a b c" {
		t.Errorf("Line = %q", got)
	}
}

func TestTerminalDoesNotAllocateClean(t *testing.T) {
	s := strings.Repeat("Clean text, accents é and 数字. ", 20)
	if n := testing.AllocsPerRun(100, func() { Terminal(s) }); n != 0 {
		t.Errorf("Terminal allocates %v times on clean text", n)
	}
}

func TestMarkdown(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"<script>alert(1)</script>", `\<script\>alert(1)\</script\>`},
		{"[x](javascript:alert(1))", `\[x\](javascript:alert(1))`},
		{"![img](http://evil/x.png)", `!\[img\](http://evil/x.png)`},
		{"a\n## Referrals\n| fake |", `a \#\# Referrals \| fake \|`},
		{"&lt;b&gt;", `\&lt;b\&gt;`},
		{"- item", `\- item`},
		{"1. item", `1\. item`},
		{"=cmd", `\=cmd`},
		{"**bold** _it_ `code` ~~s~~", "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~s\\~\\~"},
		{"\x1b]52;c;AAAA\x07text", `\]52;c;AAAAtext`},
		{"Fear of return (stated)", "Fear of return (stated)"},
	} {
		if got := Markdown(c.in); got != c.want {
			t.Errorf("Markdown(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCSV(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"},
		{"+1+1", "'+1+1"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"  =1+1", "'  =1+1"},
		{"\t=1", "'\t=1"},
		{"＝1+1", "'＝1+1"},
		{"-3", "-3"},
		{"-3.5", "-3.5"},
		{"42", "42"},
		{"plain text", "plain text"},
		{"a\x1b[2Jb", "a[2Jb"},
		{"", ""},
	} {
		if got := CSV(c.in); got != c.want {
			t.Errorf("CSV(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestJSON(t *testing.T) {
	in := []byte(`{"a":"x\u001b]0;t\u0007` + "\u009b2J \u202eevil\u202c \U000e0041 ok é" + `"}`)
	got := JSON(in)
	want := `{"a":"x\u001b]0;t\u0007\u009b2J \u202eevil\u202c \udb40\udc41 ok é"}`
	if string(got) != want {
		t.Fatalf("JSON = %s\nwant   %s", got, want)
	}
	var a, b map[string]string
	if err := json.Unmarshal(in, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(got, &b); err != nil || a["a"] != b["a"] {
		t.Fatalf("the escaped JSON decodes to %q, not %q (%v)", b["a"], a["a"], err)
	}
	clean := []byte(`{"a":"é ok"}`)
	if n := testing.AllocsPerRun(100, func() { JSON(clean) }); n != 0 {
		t.Errorf("JSON allocates %v times on clean input", n)
	}
}

func FuzzTextsafe(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, out := range []string{Terminal(s), Line(s), Markdown(s), CSV(s)} {
			if strings.ContainsFunc(out, unsafeRune) {
				t.Fatalf("%q kept an unsafe character: %q", s, out)
			}
		}
		if strings.ContainsAny(Line(s), "\n\t") {
			t.Fatalf("Line(%q) = %q", s, Line(s))
		}
		md := Markdown(s)
		if strings.Contains(md, "\n") {
			t.Fatalf("Markdown(%q) = %q: a line break", s, md)
		}
		for i := 0; i < len(md); i++ {
			if strings.IndexByte("<>[]&`*_|#", md[i]) < 0 {
				continue
			}
			bs := 0
			for j := i - 1; j >= 0 && md[j] == '\\'; j-- {
				bs++
			}
			if bs%2 == 0 {
				t.Fatalf("Markdown(%q) = %q: %q at %d is not escaped", s, md, md[i], i)
			}
		}
	})
}
