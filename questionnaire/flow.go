package questionnaire

import (
	"fmt"

	"github.com/expr-lang/expr/vm"
	"gopkg.in/yaml.v3"
)

// Answer values every question that is not required accepts. They are
// stored as such and never read as "no".
const (
	Declined = "declined"
	DontKnow = "dont_know"
	// None is the "none of these" choice value; it is not a real value.
	None = "none"
	// NoneIdentified is the "none identified" choice value; it is not a real value either.
	NoneIdentified = "none_identified"
)

// Pos is a place in a flow file.
type Pos struct {
	Line, Col int
}

// Flow is a loaded, validated questionnaire with its scoring rules.
type Flow struct {
	ID              string   `yaml:"id"`
	Version         string   `yaml:"version"`
	Title           Text     `yaml:"title"`
	Description     Text     `yaml:"description"`
	DefaultLanguage string   `yaml:"default_language"`
	Languages       []string `yaml:"languages"`
	// Basis lists the instruments the whole flow rests on; every summary cites them.
	Basis []string `yaml:"basis"`
	// ConsentQuestion names the yes/no question whose answer is the person's
	// consent: its time and language are kept apart as the basis for
	// processing. Empty: the flow asks for no consent.
	ConsentQuestion string `yaml:"consent_question"`
	// ReferralConsentQuestion names the multi question whose choices are
	// the services the person agrees to be referred to. Each referral's
	// Service is one of its choices; a summary's referrals then carry
	// consent (given, best_interests, not_given, unknown, not_required).
	ReferralConsentQuestion string `yaml:"referral_consent_question"`
	// CautionTiers orders the cautions' tiers, most pressing first
	// (act now, safeguard, ...). Empty: cautions have no tier.
	CautionTiers []*Tier `yaml:"caution_tiers"`
	// Citations translate the basis citations: each entry's text in the
	// default language is what summaries carry in `basis`; a reader sees
	// it in their language.
	Citations []Text `yaml:"citations"`
	// FailSafe says how protective one summary is compared with another:
	// the headline finding and its values from least to most protective.
	FailSafe *FailSafe `yaml:"fail_safe"`
	// Disclaimer is printed with every summary.
	Disclaimer Text        `yaml:"disclaimer"`
	Strings    []UIString  `yaml:"strings"`
	Sections   []*Section  `yaml:"sections"`
	Derived    []*Derived  `yaml:"derived"`
	Findings   []*Finding  `yaml:"findings"`
	Referrals  []*Referral `yaml:"referrals"`
	Cautions   []*Caution  `yaml:"cautions"`

	// Filled by Load.
	Name   string `yaml:"-"` // file name used in messages
	Source []byte `yaml:"-"` // the YAML as loaded
	Hash   string `yaml:"-"` // "sha256:…" of Source
	// authorProblems: see AuthorProblems
	authorProblems Problems             `yaml:"-"`
	Questions      []*Question          `yaml:"-"` // every question in flow order
	byID           map[string]*Question `yaml:"-"`
	nodes          []*ruleNode          `yaml:"-"` // derived values, findings, referrals, cautions in evaluation order
	strings        map[string]Text      `yaml:"-"`
	citations      map[string]Text      `yaml:"-"` // by the default language's text

	// Set by prepare once the flow has loaded, and only read after.
	derivedNodes  []int        `yaml:"-"` // indices into nodes of the derived values, in order
	fields        *fieldsShape `yaml:"-"` // the shape of a summary's Fields
	basisCap      int          `yaml:"-"` // at most this many entries in a summary's basis
	memoSlots     int          `yaml:"-"` // conditions with a slot in walker.memo, by text
	volatileSlots []int        `yaml:"-"` // those of them that read referral or caution
}

// UIString is a translatable piece of the interface (a button, a heading)
// that a flow may override or translate.
type UIString struct {
	ID   string `yaml:"id"`
	Text Text   `yaml:"text"`
}

// Section groups questions under a title, with an optional note read out
// before its first question.
type Section struct {
	ID        string      `yaml:"id"`
	Title     Text        `yaml:"title"`
	Intro     Text        `yaml:"intro"`
	Relevant  *Expr       `yaml:"relevant"`
	Questions []*Question `yaml:"questions"`
	Pos       Pos         `yaml:"-"`
	Index     int         `yaml:"-"` // 0-based position among the sections
}

// Question is one thing asked (or, for a note, shown).
type Question struct {
	ID          string        `yaml:"id"`
	Type        Kind          `yaml:"type"`
	Label       Text          `yaml:"label"`
	Hint        Text          `yaml:"hint"`
	Required    bool          `yaml:"required"`
	Relevant    *Expr         `yaml:"relevant"`
	EndsIf      *Expr         `yaml:"ends_interview_if"`
	Min         *int          `yaml:"min"`
	Max         *int          `yaml:"max"`
	Choices     []*Choice     `yaml:"choices"`
	Constraints []*Constraint `yaml:"constraints"`
	// Observation marks what the interviewer records from their own
	// assessment: it is not read aloud to the person.
	Observation bool `yaml:"observation"`

	Pos     Pos       `yaml:"-"`
	Section *Section  `yaml:"-"`
	Index   int       `yaml:"-"` // 0-based position in flow order
	kind    *kindRule // its kind's row of kindRules, set by Load (nil: no kind)
}

// Choice is one value a choice or multi question can take.
type Choice struct {
	Value string `yaml:"value"`
	Label Text   `yaml:"label"`
	// Exclusive choices (such as "none") cannot be combined with others in a multi answer.
	Exclusive bool `yaml:"exclusive"`
	Pos       Pos  `yaml:"-"`
}

// Constraint is a check on an answer, with the author's message when it fails.
// In the expression, `value` is the answer being checked.
type Constraint struct {
	Check   *Expr `yaml:"check"`
	Message Text  `yaml:"message"`
	Pos     Pos   `yaml:"-"`
}

// Derived is a named value computed from earlier answers, usable in
// conditions and rules by its ID.
type Derived struct {
	ID          string `yaml:"id"`
	Expr        *Expr  `yaml:"expr"`
	Label       Text   `yaml:"label"`
	Explanation Text   `yaml:"explanation"`
	Pos         Pos    `yaml:"-"`
}

// Finding is a value in the summary. Either Expr computes it, or Cases are
// tried in order and the first whose `when` holds gives the value (a case
// without `when` always holds).
type Finding struct {
	ID          string  `yaml:"id"`
	Field       string  `yaml:"field"` // dotted place in the summary; defaults to ID
	Label       Text    `yaml:"label"`
	Expr        *Expr   `yaml:"expr"`
	Cases       []*Case `yaml:"cases"`
	Explanation Text    `yaml:"explanation"`
	// Explanations are tried in order; the first whose `when` holds
	// explains the finding, else the case's or the finding's own.
	Explanations []*TextCase `yaml:"explanations"`
	Basis        []string    `yaml:"basis"`
	Pos          Pos         `yaml:"-"`

	path []string // Field split at its dots, set by prepare
	slot int      // where its value goes in a summary's Fields (fieldsShape)
}

// Case is one row of a first-match table.
type Case struct {
	Value       any      `yaml:"value"`
	When        *Expr    `yaml:"when"`
	Label       Text     `yaml:"label"`
	Explanation Text     `yaml:"explanation"`
	Basis       []string `yaml:"basis"`
	Pos         Pos      `yaml:"-"`
}

// Referral is a service the person should be referred to when `when` holds.
type Referral struct {
	ID    string `yaml:"id"`
	Label Text   `yaml:"label"`
	// Service is the kind of service the referral goes to, one of the
	// referral consent question's choices. Empty: no consent is needed
	// (an interpreter), and the referral's consent is not_required.
	Service  string  `yaml:"service"`
	When     *Expr   `yaml:"when"`
	Priority []*Case `yaml:"priority"`
	// BestInterests, when its condition holds and the referral has its
	// priority, lets a referral proceed without the person's consent, on a
	// child's best interests: its consent is best_interests.
	BestInterests *BestInterests `yaml:"best_interests"`
	Reasons       []string       `yaml:"reasons"`
	Explanation   Text           `yaml:"explanation"`
	// Explanations are tried in order; the first whose `when` holds is
	// the referral's explanation, else Explanation.
	Explanations []*TextCase `yaml:"explanations"`
	Basis        []string    `yaml:"basis"`
	Pos          Pos         `yaml:"-"`
}

// BestInterests is the exception to consent for a child's urgent referral.
type BestInterests struct {
	When     *Expr  `yaml:"when"`
	Priority string `yaml:"priority"`
}

// TextCase is a text that applies when its condition holds.
type TextCase struct {
	When *Expr `yaml:"when"`
	Text Text  `yaml:"text"`
	Pos  Pos   `yaml:"-"`
}

// Tier is a group of cautions, in the order a caseworker must read them.
type Tier struct {
	ID    string `yaml:"id"`
	Label Text   `yaml:"label"`
	Pos   Pos    `yaml:"-"`
}

// FailSafe names the headline finding and ranks its values, least
// protective first, for the fail-safe check. Values not listed (such as
// "not screened") are not compared.
type FailSafe struct {
	Finding string   `yaml:"finding"`
	Order   []string `yaml:"order"`
}

// Caution is a safeguard the receiving caseworker must see.
type Caution struct {
	ID           string      `yaml:"id"`
	Label        Text        `yaml:"label"`
	Tier         string      `yaml:"tier"`
	When         *Expr       `yaml:"when"`
	Reasons      []string    `yaml:"reasons"`
	Explanation  Text        `yaml:"explanation"`
	Explanations []*TextCase `yaml:"explanations"`
	Basis        []string    `yaml:"basis"`
	Pos          Pos         `yaml:"-"`
}

// Priorities in the order a caseworker must act on them.
var Priorities = []string{"urgent", "high", "standard"}

// Expr is an expression as written by the author, compiled at load.
type Expr struct {
	Src string
	Pos Pos

	prog   *vm.Program
	refs   []string    // names it reads, in order of first use
	reason *reasonTree // and/or structure, to tell which sides held
	// refs as a summary's reasons name them: a finding by its field. Set
	// by prepare on the expressions whose reasons a summary gives.
	reasonNames []string
	reasonCap   int    // at most this many reasons: reasonNames, or all the reason tree's
	memo        int    // 1 + its slot in walker.memo (see walker.cond); 0 for none
	what        string // the rule it belongs to, as load messages name it
	// budgeted: it calls a helper that charges the evaluation's budget
	// (sandbox.go), which each run starts afresh
	budgeted bool
}

// UnmarshalYAML reads an expression from a scalar.
func (e *Expr) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: an expression must be a string", n.Line)}}
	}
	e.Src = n.Value
	e.Pos = Pos{n.Line, n.Column}
	return nil
}

// The position-recording unmarshalers below decode as usual and remember
// where each item starts, so that every message can name its line.

func (s *Section) UnmarshalYAML(n *yaml.Node) error {
	type plain Section
	s.Pos = Pos{n.Line, n.Column}
	return n.Decode((*plain)(s))
}

func (q *Question) UnmarshalYAML(n *yaml.Node) error {
	type plain Question
	q.Pos = Pos{n.Line, n.Column}
	return n.Decode((*plain)(q))
}

func (c *Choice) UnmarshalYAML(n *yaml.Node) error {
	type plain Choice
	c.Pos = Pos{n.Line, n.Column}
	return n.Decode((*plain)(c))
}

func (c *Constraint) UnmarshalYAML(n *yaml.Node) error {
	type plain Constraint
	c.Pos = Pos{n.Line, n.Column}
	return n.Decode((*plain)(c))
}

func (d *Derived) UnmarshalYAML(n *yaml.Node) error {
	type plain Derived
	d.Pos = Pos{n.Line, n.Column}
	return n.Decode((*plain)(d))
}

func (f *Finding) UnmarshalYAML(n *yaml.Node) error {
	type plain Finding
	f.Pos = Pos{n.Line, n.Column}
	return n.Decode((*plain)(f))
}

func (c *Case) UnmarshalYAML(n *yaml.Node) error {
	type plain Case
	c.Pos = Pos{n.Line, n.Column}
	return n.Decode((*plain)(c))
}

func (r *Referral) UnmarshalYAML(n *yaml.Node) error {
	type plain Referral
	r.Pos = Pos{n.Line, n.Column}
	return n.Decode((*plain)(r))
}

func (c *TextCase) UnmarshalYAML(n *yaml.Node) error {
	type plain TextCase
	c.Pos = Pos{n.Line, n.Column}
	return n.Decode((*plain)(c))
}

func (t *Tier) UnmarshalYAML(n *yaml.Node) error {
	type plain Tier
	t.Pos = Pos{n.Line, n.Column}
	return n.Decode((*plain)(t))
}

func (c *Caution) UnmarshalYAML(n *yaml.Node) error {
	type plain Caution
	c.Pos = Pos{n.Line, n.Column}
	return n.Decode((*plain)(c))
}

// AuthorProblems lists what an author must fix in a flow that loaded
// nonetheless: mistakes found by checks newer than flows already stored
// with interviews (a disclaimer not in every language, a number question
// compared with a quoted text). A stored flow keeps loading, so that its
// interviews can still be shown and exported; a flow file given to start
// interviews, score or validate is refused for them.
func (f *Flow) AuthorProblems() Problems { return f.authorProblems }

// Question returns the question with id, or nil.
func (f *Flow) Question(id string) *Question { return f.byID[id] }

// Lang returns lang if the flow speaks it, else its default language.
func (f *Flow) Lang(lang string) string {
	for _, l := range f.Languages {
		if l == lang {
			return lang
		}
	}
	return f.DefaultLanguage
}

// T returns a text in lang, falling back to the flow's default language.
func (f *Flow) T(t Text, lang string) string { return t.In(lang, f.DefaultLanguage) }

// Choice returns the choice with value v, or nil.
func (q *Question) Choice(v string) *Choice {
	for _, c := range q.Choices {
		if c.Value == v {
			return c
		}
	}
	return nil
}

// Refs returns the names an expression reads (questions, derived values,
// findings), in order of first use.
func (e *Expr) Refs() []string {
	if e == nil {
		return nil
	}
	return append([]string(nil), e.refs...)
}
