package cli

import (
	"fmt"
	"slices"
	"strings"

	"fieldscreen/questionnaire"
)

// flowLang checks a language asked for with --lang against the languages
// the flow speaks: "" gives "", and one the flow does not speak is refused
// (exit 2), never quietly swapped for another, since the person chose it.
func flowLang(f *questionnaire.Flow, lang string) (string, error) {
	if lang == "" || slices.Contains(f.Languages, lang) || (len(f.Languages) == 0 && lang == f.DefaultLanguage) {
		return lang, nil
	}
	return "", withHint(fmt.Errorf("flow %s %s is not written in language %q", f.ID, f.Version, lang), ExitUsage,
		"choose one of its languages with --lang: %s", strings.Join(flowLanguages(f), ", "))
}

func flowLanguages(f *questionnaire.Flow) []string {
	if len(f.Languages) == 0 {
		return []string{f.DefaultLanguage}
	}
	return f.Languages
}

// interviewLang is the language a new interview is taken in: --lang, else
// the language setting when the flow speaks it, else the flow's default.
// A setting the flow does not speak is reported, not fatal: it is a
// default for every flow, and must not stop an interview.
func (a *app) interviewLang(f *questionnaire.Flow, flag string) (string, error) {
	if flag != "" {
		return flowLang(f, flag)
	}
	if c := a.configDefault("language"); c != "" {
		if _, err := flowLang(f, c); err == nil {
			return c, nil
		}
		fmt.Fprintf(a.io.Err, "fieldscreen: warning: the language setting %q is not one of flow %s's languages (%s); using %s\n",
			c, f.ID, strings.Join(flowLanguages(f), ", "), f.DefaultLanguage)
	}
	return f.DefaultLanguage, nil
}
