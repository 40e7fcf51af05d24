package cli

import (
	"fieldscreen/internal/record"
	"fieldscreen/internal/render"
	"fieldscreen/internal/store"
	"fieldscreen/questionnaire"
)

// outcomeWords gives the outcome of listed interviews in words ("Urgent
// referral", not urgent_referral) for list, delete and purge. A listing
// reads only the store's index, which names each interview's flow by ID
// and version but not its language: the words are in the language asked
// for (--lang, else the language setting) when the flow speaks it, else in
// the flow's default language, one language for the whole listing.
type outcomeWords struct {
	st    *store.Store
	lang  string
	flows map[[2]string]*questionnaire.Flow // by flow ID and version; nil when not found
}

func (a *app) outcomeWords(st *store.Store, lang string) *outcomeWords {
	return &outcomeWords{st: st, lang: firstNonEmpty(lang, a.configDefault("language")), flows: map[[2]string]*questionnaire.Flow{}}
}

// checkLang refuses a language asked for with --lang that the flow of a
// listed interview does not speak, as interview, score and report do,
// rather than list the outcomes quietly in another language. One record is
// read per flow, as label does, and kept for it.
func (o *outcomeWords) checkLang(entries []record.Entry, lang string) error {
	if lang == "" {
		return nil
	}
	for _, e := range entries {
		f := o.cached(e)
		if f == nil {
			continue // a damaged record: its outcome is shown by ID
		}
		if _, err := flowLang(f, lang); err != nil {
			return err
		}
	}
	return nil
}

// label is e's outcome in words, or its ID when its flow cannot be read
// (a damaged record): a listing must not fail for want of a label.
func (o *outcomeWords) label(e record.Entry) string {
	if e.Outcome == "" {
		return ""
	}
	f := o.cached(e)
	if f == nil {
		return render.Clean(e.Outcome)
	}
	return render.FieldValue(f, "outcome", e.Outcome, f.Lang(o.lang))
}

// cached is e's flow, found once per flow ID and version.
func (o *outcomeWords) cached(e record.Entry) *questionnaire.Flow {
	key := [2]string{e.FlowID, e.FlowVersion}
	f, ok := o.flows[key]
	if !ok {
		f = o.flow(e)
		o.flows[key] = f
	}
	return f
}

// flow finds the flow of e's interview: one record read per flow, since
// the index does not hold the flow's hash. A flow the store cannot give
// falls back to the built-in flow of that ID and version.
func (o *outcomeWords) flow(e record.Entry) *questionnaire.Flow {
	if o.st != nil {
		if iv, err := o.st.Get(e.ID); err == nil {
			if f, err := newFlowCache(o.st, nil).get(iv); err == nil {
				return f
			}
		}
	}
	for _, b := range questionnaire.BuiltinVersions() {
		if b.ID == e.FlowID && b.Version == e.FlowVersion {
			return b
		}
	}
	return nil
}
