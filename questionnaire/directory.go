package questionnaire

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// Directory is a list of local services that referrals can be sent to,
// kept by a field team in YAML:
//
//	services:
//	  - id: safe-house-north
//	    name: North Safe House
//	    serves: [safety_and_shelter, child_protection]
//	    contact: "+000 000 000 (24h)"
//	    languages: [en, fr]
//	    hours: always open
//	    notes: Women and children only.
type Directory struct {
	Services []*Service `yaml:"services"`
}

// Service is one organisation or desk a person can be referred to.
type Service struct {
	ID        string   `yaml:"id" json:"id"`
	Name      string   `yaml:"name" json:"name"`
	Serves    []string `yaml:"serves" json:"serves"`
	Contact   string   `yaml:"contact" json:"contact,omitempty"`
	Languages []string `yaml:"languages" json:"languages,omitempty"`
	Hours     string   `yaml:"hours" json:"hours,omitempty"`
	Notes     string   `yaml:"notes" json:"notes,omitempty"`
	Pos       Pos      `yaml:"-" json:"-"`
}

func (s *Service) UnmarshalYAML(n *yaml.Node) error {
	type plain Service
	s.Pos = Pos{n.Line, n.Column}
	return n.Decode((*plain)(s))
}

// LoadDirectory parses and checks a referral directory against the
// referrals a flow can make; every problem is reported at once.
func LoadDirectory(name string, src []byte, f *Flow) (d *Directory, err error) {
	defer func() {
		if r := recover(); r != nil {
			d, err = nil, Problems{{File: name, Message: fmt.Sprintf("internal error while reading the directory: %v", r)}}
		}
	}()
	l := &loader{name: name, f: f}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, Problems{yamlSyntaxProblem(name, src, err)}
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, Problems{{File: name, Line: 1, Col: 1, Message: "a referral directory must be a mapping with `services:`, a list of services"}}
	}
	l.checkKeys(doc.Content[0], typeOf[Directory](), "the directory")
	d = &Directory{}
	if err := doc.Content[0].Decode(d); err != nil {
		return nil, append(l.probs, yamlProblem(name, err))
	}
	var refIDs []string
	for _, r := range f.Referrals {
		refIDs = append(refIDs, r.ID)
	}
	seen := map[string]int{}
	for _, s := range d.Services {
		switch {
		case s.ID == "":
			l.add(s.Pos, "", "a service has no id")
		case seen[s.ID] > 0:
			l.add(s.Pos, "", "duplicate service id %q (first used at line %d)", s.ID, seen[s.ID])
		}
		seen[s.ID] = s.Pos.Line
		if strings.TrimSpace(s.Name) == "" {
			l.add(s.Pos, "", "service %q has no name", s.ID)
		}
		if len(s.Serves) == 0 {
			l.add(s.Pos, "", "service %q serves no referral; list them under `serves:` (%s)", s.ID, strings.Join(refIDs, ", "))
		}
		for _, r := range s.Serves {
			if !contains(refIDs, r) {
				hint := ""
				if near := nearest(r, refIDs); near != "" {
					hint = fmt.Sprintf(" (did you mean %q?)", near)
				}
				l.add(s.Pos, "", "service %q serves %q, which is not a referral of flow %s%s", s.ID, r, f.ID, hint)
			}
		}
	}
	if len(l.probs) > 0 {
		return nil, sortProblems(l.probs)
	}
	return d, nil
}

// For returns the services that take a referral, in the directory's order.
func (d *Directory) For(referral string) []*Service {
	if d == nil {
		return nil
	}
	var out []*Service
	for _, s := range d.Services {
		if contains(s.Serves, referral) {
			out = append(out, s)
		}
	}
	return out
}

// Attach lists under each of the summary's referrals the services that
// take it.
func (d *Directory) Attach(s *Summary) {
	if d == nil {
		return
	}
	for i := range s.Referrals {
		s.Referrals[i].Services = d.For(s.Referrals[i].ID)
	}
}
