package questionnaire

import (
	"bytes"
	"fmt"
	"strings"
)

// NewCaseYAML writes a case file holding one case: ans, and the summary
// they give today as its expectation. Everything the summary says is
// pinned: the outcome, every finding's field, each referral with its
// priority and the referrals not made, the cautions raised and not raised,
// and the information gaps. It is a draft for the author to read, correct
// where the flow is wrong, and keep; comments become `#` lines at the top.
func (f *Flow) NewCaseYAML(name, note string, ans Answers, comments ...string) ([]byte, error) {
	s, err := f.Score(ans)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	for _, c := range comments {
		for _, line := range strings.Split(c, "\n") {
			b.WriteString(strings.TrimRight("# "+line, " "))
			b.WriteByte('\n')
		}
	}
	b.WriteString("cases:\n")
	fmt.Fprintf(&b, "  - name: %s\n", yamlScalar(name))
	if note != "" {
		fmt.Fprintf(&b, "    note: %s\n", yamlScalar(note))
	}
	b.WriteString("    answers:")
	n := 0
	for _, q := range f.Questions {
		v, ok := ans[q.ID]
		if !ok || !q.Asks() {
			continue
		}
		if n == 0 {
			b.WriteByte('\n')
		}
		n++
		fmt.Fprintf(&b, "      %s: %s\n", q.ID, yamlValue(v))
	}
	if n == 0 {
		b.WriteString(" {}\n")
	}
	b.WriteString("    expect:\n")
	// the headline first, when the flow has one
	headID := "outcome"
	if f.FailSafe != nil {
		headID = f.FailSafe.Finding
	}
	head := ""
	for _, fd := range f.Findings {
		if fd.ID == headID {
			head = fd.Field
		}
	}
	if head != "" {
		fmt.Fprintf(&b, "      %s: %s\n", head, expectValue(s.Get(head)))
	}
	for _, fd := range f.Findings {
		if fd.Field != head {
			fmt.Fprintf(&b, "      %s: %s\n", fd.Field, expectValue(s.Get(fd.Field)))
		}
	}
	made := map[string]bool{}
	if len(s.Referrals) > 0 {
		var parts []string
		for _, r := range s.Referrals {
			made[r.ID] = true
			parts = append(parts, r.ID+": "+r.Priority)
		}
		fmt.Fprintf(&b, "      referrals: {%s}\n", strings.Join(parts, ", "))
	}
	var not []string
	for _, r := range f.Referrals {
		if !made[r.ID] {
			not = append(not, r.ID)
		}
	}
	if len(not) > 0 {
		fmt.Fprintf(&b, "      not_referrals: [%s]\n", strings.Join(not, ", "))
	}
	raised := map[string]bool{}
	var ids []string
	for _, c := range s.Cautions {
		raised[c.ID] = true
		ids = append(ids, c.ID)
	}
	if len(ids) > 0 {
		fmt.Fprintf(&b, "      cautions: [%s]\n", strings.Join(ids, ", "))
	}
	not = not[:0]
	for _, c := range f.Cautions {
		if !raised[c.ID] {
			not = append(not, c.ID)
		}
	}
	if len(not) > 0 {
		fmt.Fprintf(&b, "      not_cautions: [%s]\n", strings.Join(not, ", "))
	}
	fmt.Fprintf(&b, "      information_gaps: %s\n", yamlValue(nonNil(s.InformationGaps)))
	return b.Bytes(), nil
}

// expectValue writes a summary value as a case file's YAML.
func expectValue(v any) string {
	switch x := v.(type) {
	case bool:
		if x {
			return "true"
		}
		return "false"
	case *Object:
		var parts []string
		for _, k := range x.Keys() {
			parts = append(parts, yamlScalar(k)+": "+expectValue(x.Value(k)))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return yamlValue(v)
}
