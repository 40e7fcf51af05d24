// Package xlsform converts an XLSForm, the spreadsheet form format of ODK
// and KoboToolbox, into a fieldscreen flow: its questions, groups as
// sections, translations, relevant, constraints and required. What it
// cannot convert it lists, by sheet, row and column, and leaves out, so
// that what it writes always loads. It writes no findings, referrals or
// cautions: those are the author's to write in YAML.
//
// It reads the workbook it is given and nothing else; the flow language
// itself stays in questionnaire, which it uses to check its output.
package xlsform

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"fieldscreen/questionnaire"
)

// Issue is one thing in the form that was not converted as written.
type Issue struct {
	Sheet   string `json:"sheet"`
	Row     int    `json:"row,omitempty"`    // as the spreadsheet numbers it; 0: the whole sheet
	Column  string `json:"column,omitempty"` // its letter and header, "F (relevant)"
	Message string `json:"message"`
}

func (i Issue) String() string {
	s := i.Sheet
	if i.Row > 0 {
		s += fmt.Sprintf(" row %d", i.Row)
	}
	if i.Column != "" {
		s += ", column " + i.Column
	}
	return s + ": " + i.Message
}

// Result is a converted form.
type Result struct {
	YAML      []byte  // the flow, which questionnaire.Load accepts
	Issues    []Issue // what was not converted, in sheet and row order
	Questions int     // questions and notes converted
	Sections  int
}

// Convert converts wb, read from the file called name.
func Convert(name string, wb *Workbook) (*Result, error) {
	wb, cleaned := cleanText(wb)
	survey := wb.Sheets["survey"]
	if survey == nil {
		return nil, errors.New("the workbook has no survey sheet; is it an XLSForm?")
	}
	if !hasColumn(survey, "type") || !hasColumn(survey, "name") {
		return nil, errors.New("the survey sheet has no type or name column; is it an XLSForm?")
	}
	c := &conv{name: name, wb: wb, survey: survey, byName: map[string]*question{}, ids: map[string]bool{}}
	for _, cc := range cleaned {
		col := ""
		if cc.col < len(cc.sheet.Columns) {
			col = cc.sheet.Columns[cc.col]
		}
		c.issue(cc.sheet, cc.row, col, "a control character or an invisible character that reorders or hides text was removed from this cell (a flow may hold none); check what it says")
	}
	c.languages()
	c.settings()
	c.readChoices()
	c.readSurvey()
	var out []byte
	// A problem the checks here missed must not reach the author as a flow
	// that does not load: drop what the loader refuses, say so, and try
	// again (each round drops something, so this ends).
	for round := 0; ; round++ {
		var err error
		out, err = c.emit()
		if err != nil {
			return nil, err
		}
		_, err = questionnaire.Load(name, out)
		if err == nil {
			break
		}
		var probs questionnaire.Problems
		if !errors.As(err, &probs) || round > len(c.questions)+1 || !c.dropRefused(probs) {
			return nil, fmt.Errorf("the converted flow does not load (a bug in the converter; please report it):\n%v", err)
		}
	}
	// In the order an author reads the workbook: survey, choices,
	// settings, each by row.
	order := map[string]int{"survey": 0, "choices": 1, "settings": 2}
	sort.SliceStable(c.issues, func(i, j int) bool {
		a, b := c.issues[i], c.issues[j]
		if oa, ob := order[strings.ToLower(a.Sheet)], order[strings.ToLower(b.Sheet)]; oa != ob {
			return oa < ob
		}
		return a.Row < b.Row
	})
	n := 0
	for _, s := range c.sections {
		n += len(s.questions)
	}
	return &Result{YAML: out, Issues: c.issues, Questions: n, Sections: len(c.sections)}, nil
}

type text map[string]string // language code → text

type choice struct {
	value string
	label text
	row   int
}

type choiceList struct {
	name    string
	choices []*choice
	row     int
}

type constraint struct {
	check   string
	message text
}

type question struct {
	row         int
	name        string // as the form spells it
	id          string
	typ         string
	label, hint text
	required    bool
	relevant    string
	relevantCol string
	constraints []constraint
	choices     []*choice
	ref         *ref
}

type section struct {
	id, relevant string
	title        text
	questions    []*question
}

type group struct {
	name, relevant string
	label          text
	row            int
}

type conv struct {
	name   string
	wb     *Workbook
	survey *Sheet

	langs    []string // default first
	colLang  map[string]string
	title    text
	id, ver  string
	lists    map[string]*choiceList
	byName   map[string]*question // converted questions by XLSForm name
	skipped  map[string]string    // names left out, and why
	ids      map[string]bool
	sections []*section
	// questions in form order
	questions []*question
	issues    []Issue
}

func (c *conv) issue(s *Sheet, row int, col, format string, args ...any) {
	c.issues = append(c.issues, Issue{Sheet: s.Name, Row: row, Column: c.column(s, col), Message: fmt.Sprintf(format, args...)})
}

// column names column col of s by letter and header, as a spreadsheet
// user finds it.
func (c *conv) column(s *Sheet, col string) string {
	if col == "" {
		return ""
	}
	for i, h := range s.Columns {
		if strings.EqualFold(h, col) {
			return fmt.Sprintf("%s (%s)", columnLetter(i), h)
		}
	}
	return col
}

func hasColumn(s *Sheet, col string) bool {
	for _, h := range s.Columns {
		if strings.EqualFold(h, col) {
			return true
		}
	}
	return false
}

var langCode = regexp.MustCompile(`\(\s*([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\s*\)\s*$`)

// knownNames gives a code to a language column written without one.
var knownNames = map[string]string{"english": "en", "french": "fr", "français": "fr", "spanish": "es", "español": "es",
	"arabic": "ar", "portuguese": "pt", "russian": "ru", "swahili": "sw", "ukrainian": "uk"}

// langOf reads the language of "English (en)"; "" if it names none.
func langOf(s string) string {
	if m := langCode.FindStringSubmatch(s); m != nil {
		return strings.ToLower(m[1])
	}
	return knownNames[strings.ToLower(strings.TrimSpace(s))]
}

// splitColumn splits "label::English (en)" into "label" and its language
// part.
func splitColumn(h string) (base, lang string) {
	base, lang, _ = strings.Cut(h, "::")
	return strings.ToLower(strings.TrimSpace(base)), strings.TrimSpace(lang)
}

var textColumns = map[string]bool{"label": true, "hint": true, "constraint_message": true, "guidance_hint": true, "required_message": true}

// languages finds the form's languages in the translated columns of the
// survey and choices sheets, the default first.
func (c *conv) languages() {
	c.colLang = map[string]string{}
	def := ""
	if s := c.wb.Sheets["settings"]; s != nil && len(s.Rows) > 0 {
		if v := s.Get(s.Rows[0], "default_language"); v != "" {
			if def = langOf(v); def == "" {
				c.issue(s, s.Rows[0].N, "default_language", "%q names no language code; write it as \"English (en)\"", v)
			}
		}
	}
	var found []string
	plain := false
	for _, key := range []string{"survey", "choices"} {
		s := c.wb.Sheets[key]
		if s == nil {
			continue
		}
		for _, h := range s.Columns {
			base, l := splitColumn(h)
			if !textColumns[base] {
				continue
			}
			if l == "" {
				plain = true
				continue
			}
			code := langOf(l)
			if code == "" {
				if _, seen := c.colLang[h]; !seen {
					c.issue(s, 1, h, "%q names no language code, so this column is left out; write it as %s::English (en)", l, base)
				}
				c.colLang[h] = ""
				continue
			}
			c.colLang[h] = code
			if !contains(found, code) {
				found = append(found, code)
			}
		}
	}
	if def == "" {
		switch {
		case plain || len(found) == 0:
			def = "en"
		default:
			def = found[0]
		}
	}
	c.langs = []string{def}
	for _, l := range found {
		if l != def {
			c.langs = append(c.langs, l)
		}
	}
}

// text reads the texts of column base in row r of s, in every language.
// Missing translations are filled from the default language and listed,
// so the flow loads and the author sees what to translate.
func (c *conv) text(s *Sheet, r Row, base string, need bool) text {
	t := text{}
	for i, h := range s.Columns {
		b, l := splitColumn(h)
		if b != base || i >= len(r.Cells) {
			continue
		}
		v := strings.TrimSpace(r.Cells[i])
		if v == "" {
			continue
		}
		code := c.langs[0]
		if l != "" {
			if code = c.colLang[h]; code == "" {
				continue
			}
		}
		if _, ok := t[code]; !ok || l != "" {
			t[code] = v
		}
	}
	if len(t) == 0 {
		return nil
	}
	from := c.langs[0]
	if t[from] == "" {
		for _, l := range c.langs {
			if t[l] != "" {
				from = l
				break
			}
		}
	}
	for _, l := range c.langs {
		if t[l] == "" {
			t[l] = t[from]
			col := ""
			for _, h := range s.Columns {
				if b, _ := splitColumn(h); b == base && c.colLang[h] == l {
					col = h
				}
			}
			c.issue(s, r.N, col, "no %s in %q; the %q text is used until it is translated", base, l, from)
		}
	}
	return t
}

func (c *conv) settings() {
	c.ver = "1"
	if s := c.wb.Sheets["settings"]; s != nil && len(s.Rows) > 0 {
		r := s.Rows[0]
		c.title = c.text(s, r, "form_title", false)
		if v := s.Get(r, "form_title"); v != "" && c.title == nil {
			c.title = text{c.langs[0]: v}
		}
		c.id = s.Get(r, "form_id")
		if v := s.Get(r, "version"); v != "" {
			c.ver = v
		}
	}
	if c.id == "" {
		base := c.name[strings.LastIndexAny(c.name, `/\`)+1:]
		c.id = strings.TrimSuffix(base, ".xlsx")
	}
	c.id = strings.Trim(regexp.MustCompile(`[^a-z0-9_-]+`).ReplaceAllString(strings.ToLower(c.id), "-"), "-")
	if c.id == "" {
		c.id = "imported-form"
	}
	if c.title == nil {
		c.title = text{}
		for _, l := range c.langs {
			c.title[l] = c.id
		}
	} else {
		for _, l := range c.langs {
			if c.title[l] == "" {
				c.title[l] = c.title[c.langs[0]]
			}
		}
	}
}

func (c *conv) readChoices() {
	c.lists = map[string]*choiceList{}
	s := c.wb.Sheets["choices"]
	if s == nil {
		return
	}
	listCol := "list_name"
	if !hasColumn(s, listCol) {
		listCol = "list name"
	}
	for _, r := range s.Rows {
		ln, v := s.Get(r, listCol), s.Get(r, "name")
		if ln == "" || v == "" {
			c.issue(s, r.N, "", "a choice needs a list_name and a name; left out")
			continue
		}
		l := c.lists[ln]
		if l == nil {
			l = &choiceList{name: ln, row: r.N}
			c.lists[ln] = l
		}
		if v == questionnaire.Declined || v == questionnaire.DontKnow {
			c.issue(s, r.N, "name", "%q is left out: fieldscreen offers \"Don't know\" and \"Declined to answer\" on every question that is not required, as dont_know and declined", v)
			continue
		}
		dup := false
		for _, ch := range l.choices {
			dup = dup || ch.value == v
		}
		if dup {
			c.issue(s, r.N, "name", "list %s has the choice %q twice; the second is left out", ln, v)
			continue
		}
		lab := c.text(s, r, "label", true)
		if lab == nil {
			c.issue(s, r.N, "label", "choice %q has no label; its name is used", v)
			lab = text{}
			for _, lg := range c.langs {
				lab[lg] = v
			}
		}
		l.choices = append(l.choices, &choice{value: v, label: lab, row: r.N})
	}
}

// metadata types ODK fills in by itself; fieldscreen keeps its own record.
var metadata = map[string]bool{"start": true, "end": true, "today": true, "deviceid": true, "subscriberid": true,
	"simserial": true, "phonenumber": true, "username": true, "email": true, "audit": true, "start-geopoint": true}

var typeFor = map[string]string{"integer": "integer", "text": "text", "note": "note"}

func (c *conv) readSurvey() {
	s := c.survey
	var stack []group
	var cur *section
	repeat := 0
	repeatRow := 0
	for _, r := range s.Rows {
		typ := strings.Join(strings.Fields(s.Get(r, "type")), " ")
		name := s.Get(r, "name")
		kind, arg, _ := strings.Cut(typ, " ")
		kind = strings.ToLower(kind)
		switch {
		case kind == "begin_repeat" || typ == "begin repeat":
			if repeat == 0 {
				repeatRow = r.N
			}
			repeat++
			continue
		case kind == "end_repeat" || typ == "end repeat":
			if repeat > 0 {
				repeat--
				if repeat == 0 {
					c.issue(s, repeatRow, "type", "repeat groups are not converted: rows %d to %d are left out", repeatRow, r.N)
				}
			}
			continue
		}
		if repeat > 0 {
			c.skip(name, "it is inside a repeat group")
			continue
		}
		switch {
		case kind == "begin_group" || typ == "begin group":
			g := group{name: name, row: r.N, label: c.text(s, r, "label", false)}
			if v := s.Get(r, "relevant"); v != "" {
				g.relevant = c.expr(s, r, "relevant", v, nil)
			}
			stack = append(stack, g)
			cur = nil
			continue
		case kind == "end_group" || typ == "end group":
			if len(stack) == 0 {
				c.issue(s, r.N, "type", "end_group without its begin_group; ignored")
			} else {
				stack = stack[:len(stack)-1]
			}
			cur = nil
			continue
		case typ == "" && name == "":
			continue
		case typ == "":
			c.issue(s, r.N, "type", "question %q has no type; left out", name)
			c.skip(name, "it has no type")
			continue
		}
		q := &question{row: r.N, name: name}
		switch kind {
		case "select_one", "select_multiple":
			list, extra, _ := strings.Cut(arg, " ")
			if extra == "or_other" {
				c.issue(s, r.N, "type", "or_other is not converted: add an \"other\" choice and a text question")
			} else if extra != "" || list == "" {
				c.issue(s, r.N, "type", "type %q is not converted; left out", typ)
				c.skip(name, "its type is not converted")
				continue
			}
			l := c.lists[list]
			if l == nil {
				c.issue(s, r.N, "type", "no list %q in the choices sheet; question %q is left out", list, name)
				c.skip(name, "its choices list is missing")
				continue
			}
			if len(l.choices) == 0 {
				c.issue(s, r.N, "type", "list %q has no choice fieldscreen can offer; question %q is left out", list, name)
				c.skip(name, "its choices list is empty")
				continue
			}
			q.choices = l.choices
			switch {
			case kind == "select_multiple":
				q.typ = "multi"
			case len(l.choices) == 2 && (l.choices[0].value == "yes" && l.choices[1].value == "no" || l.choices[0].value == "no" && l.choices[1].value == "yes"):
				q.typ = "yes_no"
			default:
				q.typ = "choice"
			}
		case "integer", "text", "note":
			if arg != "" {
				c.issue(s, r.N, "type", "type %q is not converted; left out", typ)
				c.skip(name, "its type is not converted")
				continue
			}
			q.typ = typeFor[kind]
		default:
			switch {
			case metadata[kind]:
				c.issue(s, r.N, "type", "%s is metadata ODK records itself; fieldscreen keeps its own record of each interview, so it is left out", kind)
			case kind == "calculate":
				c.issue(s, r.N, "type", "calculate %q is not converted: write it as a derived value (docs/authoring.md, \"Derived values\")", name)
			default:
				c.issue(s, r.N, "type", "type %q is not converted (fieldscreen asks select_one, select_multiple, integer, text and note); %q is left out", typ, name)
			}
			c.skip(name, "its type is not converted")
			continue
		}
		if name == "" {
			c.issue(s, r.N, "name", "a %s has no name; left out", kind)
			continue
		}
		if _, dup := c.byName[name]; dup {
			c.issue(s, r.N, "name", "the name %q is used twice (first at row %d); this one is left out", name, c.byName[name].row)
			continue
		}
		q.id = c.claim(name, "q")
		if q.id != name {
			c.issue(s, r.N, "name", "%q became %q: a fieldscreen id is a lower-case letter, then a-z, 0-9 and _", name, q.id)
		}
		if q.label = c.text(s, r, "label", true); q.label == nil {
			c.issue(s, r.N, "label", "%q has no label; its name is used", name)
			q.label = text{}
			for _, l := range c.langs {
				q.label[l] = name
			}
		}
		q.hint = c.text(s, r, "hint", false)
		q.ref = &ref{id: q.id, typ: q.typ}
		for _, ch := range q.choices {
			q.ref.choices = append(q.ref.choices, ch.value)
		}
		if q.typ != "note" {
			switch req := strings.ToLower(s.Get(r, "required")); req {
			case "", "no", "false", "false()", "0":
			case "yes", "true", "true()", "1":
				q.required = true
			default:
				c.issue(s, r.N, "required", "required only when %q holds is not converted; the question is not required (it offers \"Don't know\" and \"Declined\")", req)
			}
			q.ref.required = q.required
		}
		if v := s.Get(r, "relevant"); v != "" {
			q.relevant = c.expr(s, r, "relevant", v, nil)
		}
		if v := s.Get(r, "constraint"); v != "" {
			if q.typ == "note" {
				c.issue(s, r.N, "constraint", "a note takes no answer, so its constraint is left out")
			} else if check := c.expr(s, r, "constraint", v, q.ref); check != "" {
				msg := c.text(s, r, "constraint_message", true)
				if msg == nil {
					c.issue(s, r.N, "constraint_message", "no constraint_message; write one (the message says \"This answer is not accepted.\" for now)")
					msg = text{}
					for _, l := range c.langs {
						msg[l] = "This answer is not accepted."
					}
				}
				q.constraints = append(q.constraints, constraint{check: check, message: msg})
			}
		}
		for _, col := range []string{"choice_filter", "default", "calculation", "repeat_count", "trigger"} {
			if s.Get(r, col) != "" {
				c.issue(s, r.N, col, "%s is not converted; left out", col)
			}
		}
		if cur == nil {
			cur = c.newSection(stack)
		}
		cur.questions = append(cur.questions, q)
		c.byName[name] = q
		c.questions = append(c.questions, q)
	}
	if repeat > 0 {
		c.issue(s, repeatRow, "type", "begin_repeat without its end_repeat: the rest of the form is left out")
	}
	for _, g := range stack {
		c.issue(s, g.row, "type", "begin_group %q has no end_group; it ends with the form", g.name)
	}
	// Sections whose questions were all left out cannot stand.
	var keep []*section
	for _, sec := range c.sections {
		if len(sec.questions) > 0 {
			keep = append(keep, sec)
		}
	}
	c.sections = keep
}

func (c *conv) skip(name, why string) {
	if name == "" {
		return
	}
	if c.skipped == nil {
		c.skipped = map[string]string{}
	}
	if _, ok := c.skipped[name]; !ok {
		c.skipped[name] = why
	}
}
