package cli

import (
	"fmt"
	"slices"

	"fieldscreen/internal/record"
	"fieldscreen/internal/store"
	"fieldscreen/questionnaire"
)

// flowCache loads each stored flow once, by hash, so a draft resumes and a
// rescore runs on the flow the interview was taken with.
type flowCache struct {
	st       *store.Store
	override *questionnaire.Flow
	flows    map[string]*questionnaire.Flow
}

func newFlowCache(st *store.Store, override *questionnaire.Flow) *flowCache {
	return &flowCache{st: st, override: override, flows: map[string]*questionnaire.Flow{}}
}

func (c *flowCache) get(iv *record.Interview) (*questionnaire.Flow, error) {
	if c.override != nil {
		return c.override, nil
	}
	if f, ok := c.flows[iv.FlowHash]; ok {
		return f, nil
	}
	var f *questionnaire.Flow
	if b := questionnaire.BuiltinByHash(iv.FlowHash); b != nil {
		f = b // the built-in flow it was taken with, current or earlier
	} else {
		src, err := c.st.Flow(iv.FlowHash)
		if err != nil {
			return nil, fmt.Errorf("interview %s: its flow (%s %s) is not in the store: %w", shortID(iv.ID), iv.FlowID, iv.FlowVersion, err)
		}
		if f, err = questionnaire.Load(fmt.Sprintf("stored flow %s %s", iv.FlowID, iv.FlowVersion), src); err != nil {
			return nil, err
		}
	}
	c.flows[iv.FlowHash] = f
	return f, nil
}

// ignoredAnswers lists, in order, the questions an interview answered that
// flow f does not have: rescoring with another flow (2.0.0 for an interview
// taken with 1.0.0) reports and ignores them.
func ignoredAnswers(iv *record.Interview, f *questionnaire.Flow) []string {
	if iv.FlowHash == f.Hash {
		return nil
	}
	var out []string
	for id := range iv.AnswersMap() {
		if f.Question(id) == nil {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// score computes an interview's summary on its flow, in lang (from --lang,
// refused if the flow does not speak it) or else the interview's language.
func (c *flowCache) score(iv *record.Interview, lang string) (scored, error) {
	f, err := c.get(iv)
	if err != nil {
		return scored{}, err
	}
	if _, err := flowLang(f, lang); err != nil {
		return scored{}, err
	}
	sum, err := f.Score(questionnaire.Answers(iv.AnswersMap()))
	if err != nil {
		return scored{}, fmt.Errorf("interview %s: %w", shortID(iv.ID), err)
	}
	return summarized(f, iv, sum, lang), nil
}

// summarized lays out sum, iv's summary on flow f, for the output in lang
// ("": the interview's own).
func summarized(f *questionnaire.Flow, iv *record.Interview, sum *questionnaire.Summary, lang string) scored {
	sum.InterviewID = iv.ID
	sum.Status = string(iv.Status)
	l := f.Lang(firstNonEmpty(lang, iv.Language))
	sum.Language = l
	return scored{flow: f, sum: sum, lang: l, ans: questionnaire.Answers(iv.AnswersMap())}
}
