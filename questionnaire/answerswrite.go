package questionnaire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// AnswersYAML writes ans as an answers file that ParseAnswers (and so
// `fieldscreen score --answers`) reads back to the same answers: the
// questions in flow order, a question left unanswered as null. Each of
// comments becomes a `#` line at the top; lang, when not empty, is the
// file's language.
func (f *Flow) AnswersYAML(ans Answers, lang string, comments ...string) []byte {
	var b bytes.Buffer
	for _, c := range comments {
		for _, line := range strings.Split(c, "\n") {
			b.WriteString(strings.TrimRight("# "+line, " "))
			b.WriteByte('\n')
		}
	}
	if lang != "" {
		fmt.Fprintf(&b, "language: %s\n", yamlScalar(lang))
	}
	b.WriteString("answers:")
	n := 0
	for _, q := range f.Questions {
		v, ok := ans[q.ID]
		if !ok {
			continue
		}
		if n == 0 {
			b.WriteByte('\n')
		}
		n++
		fmt.Fprintf(&b, "  %s: %s\n", q.ID, yamlValue(v))
	}
	if n == 0 {
		b.WriteString(" {}\n")
	}
	return b.Bytes()
}

func yamlValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return yamlScalar(x)
	case []string:
		parts := make([]string, len(x))
		for i, s := range x {
			parts[i] = yamlScalar(s)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case int:
		return fmt.Sprint(x)
	}
	j, err := json.Marshal(v) // JSON is YAML
	if err != nil {
		return "null"
	}
	return string(j)
}

var plainToken = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)

// yamlScalar writes s plain when YAML reads it back as the same string,
// else double-quoted (JSON's quoting, which YAML reads).
func yamlScalar(s string) string {
	switch strings.ToLower(s) {
	case "yes", "no", "y", "n", "on", "off", "true", "false", "null", "~":
		return `"` + s + `"`
	}
	if plainToken.MatchString(s) {
		return s
	}
	j, _ := json.Marshal(s)
	return string(j)
}
