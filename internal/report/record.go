// Package report counts scored interviews for supervisors: outcomes,
// referrals, indicators and the rest, overall and broken down by
// location, interviewer, month, week or language, with disclosure
// control so that the figures can leave the office without exposing
// anyone behind a small count.
//
// It is pure: records go in one at a time (a store or a bundle of any
// size streams through with flat memory), tables come out, and the
// formats write them to an io.Writer. It reads no store and prints
// nothing of its own. A Record holds only what a report counts: no
// interview ID, no free text, no exact age.
package report

import (
	"fmt"
	"slices"
	"time"

	"fieldscreen/questionnaire"
)

// Record is one interview as a report sees it.
type Record struct {
	Location    string
	Interviewer string
	Language    string
	// When is the day the interview counts for: its completion, else
	// its creation (a draft).
	When time.Time

	Outcome               string
	Situation             string
	TraffickingIndicators string
	RefugeeLevel          string
	Grounds               []string
	Referrals             []questionnaire.ReferralResult
	Cautions              []string
	// Declined and DontKnow name the questions answered so.
	Declined []string
	DontKnow []string
	AgeBand  string
	Gender   string
	// PresentIn is the person's present country situation (origin,
	// transit, destination).
	PresentIn string
}

// Source is what a record takes from the interview rather than its summary.
type Source struct {
	Location, Interviewer, Language string
	When                            time.Time
}

// Answers the built-in flow asks that a report counts. A flow without
// them simply has nothing in those tables.
const (
	qAge       = "age"
	qGender    = "gender"
	qPresentIn = "present_in"
)

// NotRecorded stands for a value an interview does not have (a question
// not asked, a finding the flow does not make), so that the values of a
// table still add up to the number of interviews.
const NotRecorded = "not_recorded"

// FromSummary makes a record of a scored interview. Nothing of the
// answers is kept but the age band, gender, present country situation and
// which questions were declined or not known.
func FromSummary(sum *questionnaire.Summary, ans questionnaire.Answers, m Source) Record {
	r := Record{
		Location: m.Location, Interviewer: m.Interviewer, Language: m.Language, When: m.When,
		Outcome:               orNot(sum.GetString("outcome")),
		Situation:             orNot(sum.GetString("situation")),
		TraffickingIndicators: orNot(sum.GetString("trafficking.indicators")),
		RefugeeLevel:          orNot(sum.GetString("refugee_protection.level")),
		Referrals:             sum.Referrals,
		AgeBand:               AgeBand(ans[qAge]),
		Gender:                answerValue(ans, qGender),
		PresentIn:             answerValue(ans, qPresentIn),
	}
	if g, ok := sum.Get("refugee_protection.grounds").([]string); ok {
		r.Grounds = g
	}
	for _, c := range sum.Cautions {
		r.Cautions = append(r.Cautions, c.ID)
	}
	// Questions in a stable order, whatever the map's.
	ids := make([]string, 0, 8)
	for id, v := range ans {
		if s, ok := v.(string); ok && (s == questionnaire.Declined || s == questionnaire.DontKnow) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		if ans[id] == questionnaire.Declined {
			r.Declined = append(r.Declined, id)
		} else {
			r.DontKnow = append(r.DontKnow, id)
		}
	}
	return r
}

func orNot(s string) string {
	if s == "" {
		return NotRecorded
	}
	return s
}

// answerValue is a single-choice answer's value, declined and dont_know
// as such, and NotRecorded when the question was not asked or was left
// unanswered.
func answerValue(ans questionnaire.Answers, id string) string {
	if s, ok := ans[id].(string); ok && s != "" {
		return s
	}
	return NotRecorded
}

// AgeBands are the age bands of the Counter-Trafficking Data
// Collaborative's published dataset ("ageBroad"): a report never shows an
// exact age, only these.
var AgeBands = []struct {
	Lo, Hi int // inclusive; Hi < 0 for no upper bound
}{
	{0, 8}, {9, 17}, {18, 20}, {21, 23}, {24, 26}, {27, 29}, {30, 38}, {39, 47}, {48, -1},
}

// AgeUnknown is the band of a declined, unknown or unasked age.
const AgeUnknown = "unknown"

// AgeBand returns the band an age answer falls in ("9-17", "48+"), or
// AgeUnknown.
func AgeBand(v any) string {
	age, ok := v.(int)
	if !ok || age < 0 {
		return AgeUnknown
	}
	for _, b := range AgeBands {
		if b.Hi < 0 {
			return fmt.Sprintf("%d+", b.Lo)
		}
		if age <= b.Hi {
			return fmt.Sprintf("%d-%d", b.Lo, b.Hi)
		}
	}
	return AgeUnknown
}

// AgeBandOrder lists the bands in order, unknown last.
func AgeBandOrder() []string {
	var out []string
	for _, b := range AgeBands {
		if b.Hi < 0 {
			out = append(out, fmt.Sprintf("%d+", b.Lo))
		} else {
			out = append(out, fmt.Sprintf("%d-%d", b.Lo, b.Hi))
		}
	}
	return append(out, AgeUnknown)
}

// Priorities from the most to the least urgent.
var priorities = []string{"urgent", "high", "standard"}

// highestPriority is the most urgent priority among the referrals, or
// "none".
func highestPriority(refs []questionnaire.ReferralResult) string {
	best := len(priorities)
	for _, r := range refs {
		if i := slices.Index(priorities, r.Priority); i >= 0 && i < best {
			best = i
		}
	}
	if best == len(priorities) {
		return "none"
	}
	return priorities[best]
}
