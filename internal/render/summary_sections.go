// The summary's sections that group what the flow decided: referrals by
// service and priority, cautions by tier, and the consent block.

package render

import (
	"fmt"
	"slices"
	"strings"

	"fieldscreen/questionnaire"
)

func (b *builder) citations(basis []string) []string {
	out := make([]string, len(basis))
	for i, bs := range basis {
		out[i] = b.f.Citation(bs, b.lang)
	}
	return out
}

// communication reports whether a referral is a communication need (an
// interpreter) rather than a referral to a service: it needs no consent.
func (b *builder) communication(r questionnaire.ReferralResult) bool {
	return r.Consent == questionnaire.ConsentNotRequired ||
		(b.f.ReferralConsentQuestion != "" && r.Service == "" && b.referralService(r.ID) == "")
}

// referralService is the service a referral goes to, from the summary or
// else from the flow.
func (b *builder) referralService(id string) string {
	if def := b.f.Referral(id); def != nil {
		return def.Service
	}
	return ""
}

// serviceLabel is a service in words: its choice in the referral consent
// question.
func (b *builder) serviceLabel(sv string) string {
	if q := b.f.Question(b.f.ReferralConsentQuestion); q != nil {
		if c := q.Choice(sv); c != nil && !c.Label.Empty() {
			return b.f.T(c.Label, b.lang)
		}
	}
	return humanize(sv)
}

func (b *builder) priorityHeading(p string) string {
	if slices.Contains(questionnaire.Priorities, p) {
		return b.word("priority."+p, strings.ToUpper(p))
	}
	return humanize(p)
}

func (b *builder) referralItem(r questionnaire.ReferralResult) item {
	it := item{Label: r.ID, Reasons: b.reasons(r.Reasons), Priority: r.Priority}
	if def := b.f.Referral(r.ID); def != nil {
		b.ruleWords(&it, "referral/"+r.ID, def.Label, def.Explanation, def.Basis)
	} else {
		it.Label = humanize(r.ID)
	}
	for _, sv := range r.Services {
		it.Services = append(it.Services, serviceLine(sv))
	}
	return it
}

// referrals sorts the summary's referrals into the act-now block (the
// urgent ones), the others, and the communication needs, grouped by
// service in the order of their most pressing referral.
func (b *builder) referrals(d *summaryDoc) {
	group := func(list *[]serviceGroup, r questionnaire.ReferralResult) {
		it := b.referralItem(r)
		sv := r.Service
		if sv == "" {
			sv = b.referralService(r.ID)
		}
		key, label := "referral:"+r.ID, it.Label
		if sv != "" {
			key, label = sv, b.serviceLabel(sv)
		}
		for i := range *list {
			g := &(*list)[i]
			if g.key == key {
				g.Items = append(g.Items, it)
				if priorityRank(r.Priority) < priorityRank(g.Priority) {
					g.Priority, g.Heading = r.Priority, b.priorityHeading(r.Priority)
				}
				return
			}
		}
		*list = append(*list, serviceGroup{Label: label, Named: sv != "", Priority: r.Priority,
			Heading: b.priorityHeading(r.Priority), Items: []item{it}, key: key})
	}
	refs := slices.Clone(b.s.Referrals)
	slices.SortStableFunc(refs, func(x, y questionnaire.ReferralResult) int {
		return priorityRank(x.Priority) - priorityRank(y.Priority)
	})
	for _, r := range refs {
		switch {
		case b.communication(r):
			d.Communication = append(d.Communication, b.referralItem(r))
		case r.Priority == "urgent":
			group(&d.ActNowReferrals, r)
		default:
			group(&d.Referrals, r)
		}
	}
	d.NoReferrals = len(b.s.Referrals) == 0
}

// priorityRank is p's place among the priorities, unknown ones last.
func priorityRank(p string) int {
	if i := slices.Index(questionnaire.Priorities, p); i >= 0 {
		return i
	}
	return len(questionnaire.Priorities)
}

func (b *builder) cautionItem(c questionnaire.CautionResult) item {
	it := item{Label: humanize(c.ID), Reasons: b.reasons(c.Reasons)}
	if def := b.f.CautionByID(c.ID); def != nil {
		b.ruleWords(&it, "caution/"+c.ID, def.Label, def.Explanation, def.Basis)
	}
	return it
}

// ruleWords gives it the words the flow has for a referral or caution
// (key: "referral/ID" or "caution/ID"): its label, if any; the
// explanation that applied to this interview, else its own; its basis.
func (b *builder) ruleWords(it *item, key string, label, explanation questionnaire.Text, basis []string) {
	if !label.Empty() {
		it.Label = b.f.T(label, b.lang)
	}
	if e, ok := b.expl[key]; ok {
		it.Explanation = b.f.ExplanationText(e, b.lang)
	} else {
		it.Explanation = b.f.T(explanation, b.lang)
	}
	it.Basis = b.citations(basis)
}

// cautions places each caution by its tier: act_now in the act-now block,
// consent in the consent block, the others under their tier's label in
// the flow's order. A flow without tiers has one list of cautions.
func (b *builder) cautions(d *summaryDoc) {
	d.Tiered = len(b.f.CautionTiers) > 0
	d.ActNow = ui(b.f, b.lang, "act_now")
	if t := b.f.Tier(tierActNow); t != nil && !t.Label.Empty() {
		d.ActNow = b.f.T(t.Label, b.lang)
	}
	if !d.Tiered {
		g := cautionGroup{Heading: ui(b.f, b.lang, "cautions")}
		for _, c := range b.s.Cautions {
			g.Items = append(g.Items, b.cautionItem(c))
		}
		d.Cautions = []cautionGroup{g}
		return
	}
	var groups []cautionGroup
	var untiered cautionGroup
	for _, t := range b.f.CautionTiers {
		if t.ID == tierActNow || t.ID == tierConsent {
			continue
		}
		groups = append(groups, cautionGroup{Tier: t.ID, Heading: b.f.T(t.Label, b.lang)})
	}
	for _, c := range b.s.Cautions {
		it := b.cautionItem(c)
		tier := c.Tier
		if tier == "" {
			if def := b.f.CautionByID(c.ID); def != nil {
				tier = def.Tier
			}
		}
		switch tier {
		case tierActNow:
			d.ActNowCautions = append(d.ActNowCautions, it)
			continue
		case tierConsent:
			d.ConsentCautions = append(d.ConsentCautions, it)
			continue
		}
		if i := slices.IndexFunc(groups, func(g cautionGroup) bool { return g.Tier == tier }); i >= 0 {
			groups[i].Items = append(groups[i].Items, it)
		} else {
			untiered.Items = append(untiered.Items, it)
		}
	}
	for _, g := range groups {
		if len(g.Items) > 0 {
			d.Cautions = append(d.Cautions, g)
		}
	}
	if len(untiered.Items) > 0 {
		untiered.Heading = ui(b.f, b.lang, "cautions")
		d.Cautions = append(d.Cautions, untiered)
	}
}

// consent fills the consent block: the services the person agreed to be
// referred to, those not agreed or not known, a child's referral on best
// interests, and whether the authorities may be told.
func (b *builder) consent(d *summaryDoc) {
	authorities := b.f.Question(authoritiesQuestion)
	d.HasConsent = b.f.ReferralConsentQuestion != "" || authorities != nil || len(d.ConsentCautions) > 0
	if !d.HasConsent {
		return
	}
	byConsent := map[string][]string{}
	add := func(k, s string) {
		if !slices.Contains(byConsent[k], s) {
			byConsent[k] = append(byConsent[k], s)
		}
	}
	for _, r := range b.s.Referrals {
		if b.communication(r) || r.Consent == "" {
			continue
		}
		sv := r.Service
		if sv == "" {
			sv = b.referralService(r.ID)
		}
		label := b.serviceLabel(sv)
		if r.Consent == questionnaire.ConsentBestInterests {
			add(r.Consent, b.referralItem(r).Label)
			continue
		}
		add(r.Consent, label)
	}
	for _, k := range []string{questionnaire.ConsentGiven, questionnaire.ConsentBestInterests,
		questionnaire.ConsentNotGiven, questionnaire.ConsentUnknown} {
		if len(byConsent[k]) > 0 {
			d.Consent = append(d.Consent, consentLine{ui(b.f, b.lang, "consent."+k), strings.Join(byConsent[k], b.listSep())})
		}
	}
	if authorities != nil && b.ans != nil {
		v, ok := b.ans[authoritiesQuestion]
		w := "authorities.unknown"
		switch {
		case !ok && !b.asked[authoritiesQuestion]:
			w = "authorities.not_asked"
		case v == "yes":
			w = "authorities.yes"
		case v == "no":
			w = "authorities.no"
		}
		d.Consent = append(d.Consent, consentLine{ui(b.f, b.lang, "consent.authorities"), ui(b.f, b.lang, w)})
	}
}

func toStrings(v any) []string {
	switch x := v.(type) {
	case []string:
		return x
	case []any:
		out := make([]string, len(x))
		for i, e := range x {
			out[i] = fmt.Sprint(e)
		}
		return out
	}
	return nil
}

// serviceLine is a directory service in one line: name, contact, hours,
// languages, notes.
func serviceLine(sv *questionnaire.Service) string {
	parts := []string{sv.Name}
	if sv.Contact != "" {
		parts = append(parts, sv.Contact)
	}
	if sv.Hours != "" {
		parts = append(parts, sv.Hours)
	}
	if len(sv.Languages) > 0 {
		parts = append(parts, strings.Join(sv.Languages, "/"))
	}
	if sv.Notes != "" {
		parts = append(parts, sv.Notes)
	}
	return strings.Join(parts, " · ")
}

// firstOf returns the first non-empty string: an answers file stands in for
// the interview ID when it has none.
func firstOf(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}
