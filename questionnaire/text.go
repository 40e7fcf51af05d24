package questionnaire

import (
	"fmt"
	"sort"

	"gopkg.in/yaml.v3"
)

// Text is a piece of text a person reads, in one or more languages. In YAML
// it is either a plain string (in the flow's default language) or a mapping
// from language code to string:
//
//	label: Do you agree to continue?
//	label:
//	  en: Do you agree to continue?
//	  fr: Acceptez-vous de continuer ?
type Text map[string]string

// defaultLangKey marks a plain string whose language is the flow's default;
// the loader replaces it by the default language's code.
const defaultLangKey = ""

// UnmarshalYAML accepts a plain string or a language → string mapping.
func (t *Text) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		*t = Text{defaultLangKey: n.Value}
		return nil
	case yaml.MappingNode:
		m := map[string]string{}
		if err := n.Decode(&m); err != nil {
			return err
		}
		*t = m
		return nil
	}
	return fmt.Errorf("line %d: text must be a string or a mapping of language to string", n.Line)
}

// In returns the text in lang, falling back to fallback and then to any
// language present (in a stable order), so a reader never sees nothing.
func (t Text) In(lang, fallback string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	if s, ok := t[fallback]; ok && s != "" {
		return s
	}
	if s, ok := t[defaultLangKey]; ok {
		return s
	}
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if t[k] != "" {
			return t[k]
		}
	}
	return ""
}

// Empty reports whether the text has no words in any language.
func (t Text) Empty() bool {
	for _, s := range t {
		if s != "" {
			return false
		}
	}
	return true
}
