package questionnaire

import (
	"fmt"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

// checkShapes reports every value of the wrong kind (`required: yess`,
// `min: ten`, `hint: [a, b]`, a question that is a word rather than a
// mapping) in the author's words, and takes it out of the tree before the
// tree is decoded. Decoding it would fail with the YAML library's words
// (`cannot unmarshal !!str into bool`) and, worse, drop the whole item
// around it, its section with it, so that every rule reading a question of
// that section would be reported as reading an unknown name.
func (l *loader) checkShapes(n *yaml.Node, t reflect.Type, where string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || n.Kind != yaml.MappingNode {
		return
	}
	fields, _ := keyTypes(t)
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); {
		k, v := n.Content[i], n.Content[i+1]
		// A key written twice (a pasted strings: block under a flow that
		// has one) fails the whole decoding, and every other key with it.
		if first, ok := seen[k.Value]; ok {
			l.add(Pos{k.Line, k.Column}, "", "%s%s is written twice (first at line %d): merge the two into one; this one is left out", whose(where), k.Value, first)
			n.Content = append(n.Content[:i], n.Content[i+2:]...)
			continue
		}
		seen[k.Value] = k.Line
		ft, ok := fields[k.Value]
		if !ok || isNull(v) {
			i += 2 // an unknown key is checkKeys' to report
			continue
		}
		if why := l.shapeProblem(v, ft, k.Value, where); why != "" {
			l.add(Pos{v.Line, v.Column}, "", "%s", why)
			l.langsOut = l.langsOut || (t == typeOf[Flow]() && k.Value == "languages")
			n.Content = append(n.Content[:i], n.Content[i+2:]...)
			continue
		}
		i += 2
	}
}

// shapeProblem says why v cannot be the value of key (of type ft), or ""
// when it can; it checks the items of lists and mappings on the way.
func (l *loader) shapeProblem(v *yaml.Node, ft reflect.Type, key, where string) string {
	what := fmt.Sprintf("%s: %s", where, key)
	if where == "" {
		what = key
	}
	for ft.Kind() == reflect.Pointer && ft != typeOf[*Expr]() {
		ft = ft.Elem()
	}
	switch {
	case ft == typeOf[Text]():
		return textShape(v, what)
	case ft == typeOf[*Expr]() || ft == typeOf[Expr]():
		if v.Kind != yaml.ScalarNode {
			return fmt.Sprintf("%s must be an expression on one line (or after >- on the lines below it), not %s", what, shapeOf(v))
		}
		return ""
	case ft.Kind() == reflect.Struct:
		if v.Kind != yaml.MappingNode {
			return fmt.Sprintf("%s must be a mapping of keys and values (key: value, one a line), not %s", what, shapeOf(v))
		}
		l.checkShapes(v, ft, where)
		return ""
	case ft.Kind() == reflect.Slice && ft.Elem() != typeOf[string]():
		if v.Kind != yaml.SequenceNode {
			return fmt.Sprintf("%s must be a list, each item on a line of its own starting with \"- \", not %s", what, shapeOf(v))
		}
		elem := ft.Elem()
		for j := 0; j < len(v.Content); {
			c := v.Content[j]
			if isNull(c) {
				j++ // an empty item is checkKeys' to report
				continue
			}
			if why := l.itemProblem(c, elem, key, where); why != "" {
				l.add(Pos{c.Line, c.Column}, "", "%s", why)
				v.Content = append(v.Content[:j], v.Content[j+1:]...)
				continue
			}
			j++
		}
		return ""
	case ft.Kind() == reflect.Slice:
		if v.Kind != yaml.SequenceNode {
			example := "[a, b]"
			if v.Kind == yaml.ScalarNode {
				example = fmt.Sprintf("[%q]", v.Value)
			}
			return fmt.Sprintf("%s must be a list, such as %s (with quotes when an item holds a comma), not %s", what, example, shapeOf(v))
		}
		for _, c := range v.Content {
			if c.Kind != yaml.ScalarNode {
				return fmt.Sprintf("%s must be a list of words or texts; item at line %d is %s", what, c.Line, shapeOf(c))
			}
		}
		return ""
	case ft.Kind() == reflect.Bool:
		if v.Decode(new(bool)) != nil {
			return fmt.Sprintf("%s must be true or false, not %s", what, shapeOf(v))
		}
	case ft.Kind() == reflect.Int:
		if v.Decode(new(int)) != nil {
			return fmt.Sprintf("%s must be a whole number, such as 0 or 120, not %s", what, shapeOf(v))
		}
	case ft.Kind() == reflect.String:
		if v.Kind != yaml.ScalarNode {
			return fmt.Sprintf("%s must be a single word or text, not %s", what, shapeOf(v))
		}
	}
	return ""
}

// itemProblem checks one item of a list of elem.
func (l *loader) itemProblem(c *yaml.Node, elem reflect.Type, key, where string) string {
	for elem.Kind() == reflect.Pointer {
		elem = elem.Elem()
	}
	switch {
	case elem == typeOf[Text]():
		return textShape(c, fmt.Sprintf("%s %s", itemOf(where), key))
	case elem.Kind() == reflect.Struct:
		if c.Kind != yaml.MappingNode {
			return fmt.Sprintf("each item of %s must be a mapping (such as id: …, on lines of their own), not %s", inWhere(key, where), shapeOf(c))
		}
		w := shapeWord(elem)
		switch id, v := mappingValue(c, "id"), mappingValue(c, "value"); {
		case id != "":
			w = fmt.Sprintf("%s %q", w, id)
		case v != "":
			w = fmt.Sprintf("%s %q", w, v)
		default:
			w = fmt.Sprintf("%s at line %d", w, c.Line)
		}
		if mappingValue(c, "id") == "" && where != "" {
			w = where + ", " + w // a choice or a case: say whose
		}
		l.checkShapes(c, elem, w)
	}
	return ""
}

func inWhere(key, where string) string {
	if where == "" {
		return key
	}
	return fmt.Sprintf("%s of %s", key, where)
}

func itemOf(where string) string {
	if where == "" {
		return "an item of"
	}
	return where + ": an item of"
}

// textShape checks a text: a plain string, or a mapping of language codes
// to strings.
func textShape(v *yaml.Node, what string) string {
	switch v.Kind {
	case yaml.ScalarNode:
		return ""
	case yaml.MappingNode:
		for i := 0; i+1 < len(v.Content); i += 2 {
			if c := v.Content[i+1]; c.Kind != yaml.ScalarNode {
				return fmt.Sprintf("%s in %q must be a text, not %s", what, v.Content[i].Value, shapeOf(c))
			}
		}
		return ""
	}
	return fmt.Sprintf("%s must be a text, or one text a language (en: …, fr: …, one a line), not %s", what, shapeOf(v))
}

// shapeOf names a value as an author sees it.
func shapeOf(v *yaml.Node) string {
	switch v.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping (key: value)"
	case yaml.AliasNode:
		return "an alias"
	}
	s := v.Value
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

func isNull(v *yaml.Node) bool { return v.Kind == yaml.ScalarNode && v.Tag == "!!null" }

// keyTypes maps the YAML keys of struct type t to their fields' types.
func keyTypes(t reflect.Type) (map[string]reflect.Type, []string) {
	fields := map[string]reflect.Type{}
	var names []string
	for i := 0; i < t.NumField(); i++ {
		tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		if tag != "" && tag != "-" {
			fields[tag] = t.Field(i).Type
			names = append(names, tag)
		}
	}
	return fields, names
}

// shapeWord is what an author calls an item of type t.
func shapeWord(t reflect.Type) string {
	switch t {
	case typeOf[Section]():
		return "section"
	case typeOf[Question]():
		return "question"
	case typeOf[Choice]():
		return "choice"
	case typeOf[Constraint]():
		return "constraint"
	case typeOf[Derived]():
		return "derived value"
	case typeOf[Finding]():
		return "finding"
	case typeOf[Case]():
		return "case"
	case typeOf[Referral]():
		return "referral"
	case typeOf[Caution]():
		return "caution"
	case typeOf[Tier]():
		return "caution tier"
	case typeOf[TextCase]():
		return "explanation"
	case typeOf[UIString]():
		return "string"
	}
	return "item"
}

// topPlaces records where the flow's top-level values are.
type topPlaces struct {
	keys  map[string]Pos
	items map[string][]Pos
}

func topPlacesOf(root *yaml.Node) topPlaces {
	t := topPlaces{keys: map[string]Pos{}, items: map[string][]Pos{}}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i].Value, root.Content[i+1]
		t.keys[k] = Pos{v.Line, v.Column}
		if v.Kind == yaml.SequenceNode {
			for _, c := range v.Content {
				t.items[k] = append(t.items[k], Pos{c.Line, c.Column})
			}
		}
	}
	return t
}

// at is where key's value is, or the top of the file when it is not there.
func (t topPlaces) at(key string) Pos {
	if p, ok := t.keys[key]; ok {
		return p
	}
	return Pos{1, 1}
}

// item is where the i-th item of the list under key is.
func (t topPlaces) item(key string, i int) Pos {
	if i < len(t.items[key]) {
		return t.items[key][i]
	}
	return t.at(key)
}

// whose is where, as the start of a message: "" at the top of the flow.
func whose(where string) string {
	if where == "" {
		return ""
	}
	return where + ": "
}
