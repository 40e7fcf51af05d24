package htcds

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"fieldscreen/questionnaire"
)

// Mapping says how one flow's interviews become HTCDS columns.
type Mapping struct {
	Name     string   `yaml:"-"` // the file, for messages
	Standard string   `yaml:"standard"`
	Flow     string   `yaml:"flow"`
	IDField  string   `yaml:"id_field"`
	Columns  []Column `yaml:"columns"`
	Empty    []Empty  `yaml:"empty"`
}

// Column is one output column and where its value comes from: exactly one
// of Answer (with Map or Transform), Finding, Referral (with Value),
// Referrals, or Transform "month".
type Column struct {
	Field string `yaml:"field"`
	// Answer names the questions read; a multi answer gives a value per
	// choice, and several questions join their values.
	Answer []string `yaml:"answer"`
	// Map gives each choice's HTCDS value; "" leaves that choice out.
	Map map[string]string `yaml:"map"`
	// Coarsened lists the choices whose value says less than the answer.
	Coarsened []string `yaml:"coarsened"`
	// Missing is written when the answer was declined, not known, not
	// asked or left unanswered.
	Missing string `yaml:"missing"`
	// Transform: age_band (CTDC bands), iso3166 (a country code, or
	// nothing), month (the completion month).
	Transform string            `yaml:"transform"`
	OnlyIf    map[string]string `yaml:"only_if"`
	Finding   string            `yaml:"finding"`
	// Referral: Value when the summary makes this referral ("*": any).
	Referral  string `yaml:"referral"`
	Value     string `yaml:"value"`
	Referrals bool   `yaml:"referrals"`
	Note      string `yaml:"note"`

	line int
}

// Empty is an HTCDS field the flow cannot fill, and why.
type Empty struct {
	Field string `yaml:"field"`
	Why   string `yaml:"why"`
}

// Builtin returns the built-in flow's mapping.
func Builtin() (*Mapping, error) {
	return Load("builtin:screening.htcds.yaml", questionnaire.BuiltinHTCDSMapping())
}

// Load reads and checks a mapping: every column an HTCDS field or an x_
// extension, every value in its field's picklist, one source per column.
// Errors name the file and line.
func Load(name string, src []byte) (*Mapping, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(src))
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	m := &Mapping{Name: name}
	strict := yaml.NewDecoder(bytes.NewReader(src))
	strict.KnownFields(true)
	if err := strict.Decode(m); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	// Each column's line, for messages.
	if len(doc.Content) == 1 {
		root := doc.Content[0]
		for i := 0; i+1 < len(root.Content); i += 2 {
			if root.Content[i].Value == "columns" {
				for j, c := range root.Content[i+1].Content {
					if j < len(m.Columns) {
						m.Columns[j].line = c.Line
					}
				}
			}
		}
	}
	var errs []error
	bad := func(c *Column, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s:%d: column %s: %s", name, c.line, c.Field, fmt.Sprintf(format, args...)))
	}
	if m.Flow == "" {
		errs = append(errs, fmt.Errorf("%s: no flow: name the flow's id this mapping is for", name))
	}
	if !Extension(m.IDField) {
		errs = append(errs, fmt.Errorf("%s: id_field %q must be an x_ extension (HTCDS has no field for a pseudonymous reference)", name, m.IDField))
	}
	seen := map[string]bool{m.IDField: true}
	for i := range m.Columns {
		c := &m.Columns[i]
		f, std := Lookup(c.Field)
		switch {
		case c.Field == "":
			bad(c, "no field name")
			continue
		case !std && !Extension(c.Field):
			bad(c, "not an HTCDS 2.0 field; a column HTCDS has no field for starts with x_")
		case seen[c.Field]:
			bad(c, "given twice")
		}
		seen[c.Field] = true
		sources := 0
		for _, on := range []bool{len(c.Answer) > 0, c.Finding != "", c.Referral != "", c.Referrals, len(c.Answer) == 0 && c.Transform == "month"} {
			if on {
				sources++
			}
		}
		if sources != 1 {
			bad(c, "needs exactly one of answer, finding, referral, referrals or transform: month")
		}
		switch c.Transform {
		case "", "age_band", "iso3166", "month":
		default:
			bad(c, "unknown transform %q: use age_band, iso3166 or month", c.Transform)
		}
		if c.Transform == "iso3166" && std && !f.ISO3166 {
			bad(c, "iso3166 gives country codes, which this field does not take")
		}
		if std {
			for _, v := range append(mapValues(c.Map), c.Missing, c.Value) {
				if v != "" && !f.Allows(v) {
					bad(c, "%q is not one of the field's values (%s)", v, strings.Join(f.Values, ", "))
				}
			}
			if c.Transform == "age_band" || c.Transform == "month" || c.Referrals {
				bad(c, "an HTCDS field cannot take this; carry it in an x_ column")
			}
		}
		for _, k := range c.Coarsened {
			if _, ok := c.Map[k]; !ok {
				bad(c, "coarsened %q is not a mapped choice", k)
			}
		}
		if c.Referral != "" && c.Value == "" {
			bad(c, "referral needs the value to write")
		}
	}
	for _, e := range m.Empty {
		if _, ok := Lookup(e.Field); !ok {
			errs = append(errs, fmt.Errorf("%s: empty field %s is not an HTCDS 2.0 field", name, e.Field))
		}
		if seen[e.Field] {
			errs = append(errs, fmt.Errorf("%s: field %s is both a column and empty", name, e.Field))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return m, nil
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

// CheckFlow checks the mapping against the flows (versions of the flow it
// is for) whose interviews it will write: each question it reads is in
// one of them (an earlier version may lack a question: its interviews
// leave that column empty), and every choice of a mapped question is
// mapped (to a value, or to "" to leave it out), so that no answer is
// dropped without the mapping saying so.
func (m *Mapping) CheckFlow(flows ...*questionnaire.Flow) error {
	var errs []error
	for _, f := range flows {
		if f.ID != m.Flow {
			errs = append(errs, fmt.Errorf("%s maps flow %s, not %s", m.Name, m.Flow, f.ID))
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	for _, c := range m.Columns {
		for _, id := range append(slices.Clone(c.Answer), mapKeys(c.OnlyIf)...) {
			found := false
			for _, f := range flows {
				found = found || f.Question(id) != nil
			}
			if !found {
				errs = append(errs, fmt.Errorf("%s:%d: column %s: flow %s has no question %q", m.Name, c.line, c.Field, m.Flow, id))
			}
		}
		if c.Map == nil {
			continue
		}
		for _, f := range flows {
			for _, id := range c.Answer {
				q := f.Question(id)
				if q == nil {
					continue
				}
				var values []string
				if q.Type == questionnaire.TypeYesNo {
					values = []string{"yes", "no"}
				}
				for _, ch := range q.Choices {
					if !ch.Exclusive {
						values = append(values, ch.Value)
					}
				}
				for _, v := range values {
					if _, ok := c.Map[v]; !ok {
						errs = append(errs, fmt.Errorf("%s:%d: column %s: choice %q of question %s (flow %s) is not mapped (map it, or to \"\" to leave it out)", m.Name, c.line, c.Field, v, id, f.Version))
					}
				}
			}
		}
	}
	return errors.Join(errs...)
}

func mapKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
