package questionnaire

import (
	"fmt"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// AnswersFile is a set of answers written by hand or by a script, in YAML
// or JSON:
//
//	interviewer: A. Officer      # optional
//	location: LOC-01             # optional
//	language: en                 # optional
//	answers:
//	  consent: "yes"
//	  age: 34
//	  needs: [medical, legal_aid]
type AnswersFile struct {
	Name        string
	Interviewer string
	Location    string
	Language    string
	Answers     Answers
	// Dropped lists answers to questions the flow would not ask under the
	// other answers; they are not kept.
	Dropped []string
}

// ParseAnswers reads and checks an answers file against a flow. Every
// problem is reported at once, each naming the file, line and question.
func (f *Flow) ParseAnswers(name string, src []byte) (af *AnswersFile, err error) {
	defer func() {
		if r := recover(); r != nil {
			af, err = nil, Problems{{File: name, Message: fmt.Sprintf("internal error while reading answers: %v", r)}}
		}
	}()
	var probs Problems
	add := func(line, col int, qid, format string, args ...any) {
		probs = append(probs, Problem{File: name, Line: line, Col: col, Question: qid, Message: fmt.Sprintf(format, args...)})
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		// Only the file's own keys and the flow's question IDs are named:
		// the rest may be what the person said.
		known := func(k string) bool {
			return k == "answers" || k == "interviewer" || k == "location" || k == "language" || f.Question(k) != nil
		}
		return nil, Problems{yamlSyntaxProblemKeys(name, src, err, known)}
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, Problems{{File: name, Line: 1, Col: 1, Message: "an answers file must be a mapping with `answers:` (question ID → value)"}}
	}
	root := doc.Content[0]
	af = &AnswersFile{Name: name, Answers: Answers{}}
	var answersNode *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		str := func() string {
			if v.Kind != yaml.ScalarNode {
				add(v.Line, v.Column, "", "%s must be text", k.Value)
				return ""
			}
			return v.Value
		}
		switch k.Value {
		case "answers":
			answersNode = v
		case "interviewer":
			af.Interviewer = str()
		case "location":
			af.Location = str()
		case "language":
			af.Language = str()
		default:
			hint := ""
			if near := nearest(k.Value, []string{"answers", "interviewer", "location", "language"}); near != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", near)
			}
			add(k.Line, k.Column, "", "unknown key %q%s; an answers file has answers, interviewer, location and language", k.Value, hint)
		}
	}
	if answersNode == nil {
		add(1, 1, "", "no `answers:` mapping (question ID → value)")
		return nil, probs
	}
	if af.Language != "" && !contains(f.Languages, af.Language) {
		add(1, 1, "", "language %q is not one of the flow's languages (%s)", af.Language, strings.Join(f.Languages, ", "))
	}
	ans, dropped, more := f.checkAnswers(name, answersNode, af.Language)
	probs = append(probs, more...)
	if len(probs) > 0 {
		return nil, sortProblems(probs)
	}
	af.Answers = ans
	af.Dropped = dropped
	return af, nil
}

// checkAnswers checks an answers mapping (question ID → value) from a file
// named name, in flow order so that constraints see the answers before
// them; lang picks the language of the author's messages. It returns the
// answers kept, those dropped as not asked under the others (in flow
// order), and every problem, each at its line.
func (f *Flow) checkAnswers(name string, answersNode *yaml.Node, lang string) (Answers, []string, Problems) {
	var probs Problems
	add := func(line, col int, qid, format string, args ...any) {
		probs = append(probs, Problem{File: name, Line: line, Col: col, Question: qid, Message: fmt.Sprintf(format, args...)})
	}
	if answersNode.Kind != yaml.MappingNode {
		add(answersNode.Line, answersNode.Column, "", "`answers:` must be a mapping of question ID → value")
		return nil, nil, probs
	}
	type raw struct {
		v         any
		line, col int
	}
	given := map[string]raw{}
	var ids []string
	for _, q := range f.Questions {
		ids = append(ids, q.ID)
	}
	for i := 0; i+1 < len(answersNode.Content); i += 2 {
		k, v := answersNode.Content[i], answersNode.Content[i+1]
		q := f.byID[k.Value]
		if q == nil {
			hint := ""
			if near := nearest(k.Value, ids); near != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", near)
			}
			add(k.Line, k.Column, k.Value, "unknown question %q%s", k.Value, hint)
			continue
		}
		if _, dup := given[k.Value]; dup {
			add(k.Line, k.Column, k.Value, "question %q is answered twice", k.Value)
			continue
		}
		var val any
		if err := v.Decode(&val); err != nil {
			add(v.Line, v.Column, k.Value, "question %q: %v", k.Value, err)
			continue
		}
		given[k.Value] = raw{val, v.Line, v.Column}
	}
	// Check in flow order, so constraints see the answers before them and
	// answers to questions that would not be asked are found.
	ans := Answers{}
	for _, q := range f.Questions {
		r, ok := given[q.ID]
		if !ok {
			continue
		}
		if r.v == nil {
			if q.Required {
				add(r.line, r.col, q.ID, "question %q is required and cannot be left empty (accepts: %s)", q.ID, q.Accepts())
				continue
			}
			ans[q.ID] = nil
			continue
		}
		v, err := f.Check(q, r.v, ans, lang)
		if err != nil {
			add(r.line, r.col, q.ID, "%v", err)
			continue
		}
		ans[q.ID] = v
	}
	if len(probs) > 0 {
		return nil, nil, probs
	}
	dropped, err := f.Prune(ans)
	if err != nil {
		return nil, nil, Problems{{File: name, Message: err.Error()}}
	}
	vis, _ := f.Visible(ans)
	for _, q := range vis {
		if q.Required && q.Asks() {
			if _, ok := ans[q.ID]; !ok {
				probs = append(probs, Problem{File: name, Line: answersNode.Line, Col: answersNode.Column, Question: q.ID,
					Message: fmt.Sprintf("required question %q has no answer (accepts: %s)", q.ID, q.Accepts())})
			}
		}
	}
	if len(probs) > 0 {
		return nil, nil, probs
	}
	sort.SliceStable(dropped, func(i, j int) bool { return f.byID[dropped[i]].Index < f.byID[dropped[j]].Index })
	return ans, dropped, nil
}
