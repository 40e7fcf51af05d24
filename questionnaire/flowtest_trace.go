package questionnaire

// trace records which parts of a flow's rules held in one Score, for the
// coverage of a flow test suite (flowtest_coverage.go): the priority case
// each referral took, and the outcome of every question condition
// evaluated. Findings' cases, referrals and cautions need no trace: the
// summary names them (Explanations, Referrals, Cautions).
//
// Score passes a nil *trace; its methods do nothing then, and are small
// enough to inline, so scoring without a trace costs a nil check.
type trace struct {
	// priority: per referral made, the index of its priority case that
	// held, or absent when none did (the referral is then standard).
	prio map[*Referral]int
	// conds: per condition (section and question relevant,
	// ends_interview_if), condHeld and condNotHeld as they were seen.
	conds map[*Expr]uint8
}

const (
	condHeld    uint8 = 1
	condNotHeld uint8 = 2
)

func newTrace() *trace {
	return &trace{prio: map[*Referral]int{}, conds: map[*Expr]uint8{}}
}

func (t *trace) priority(r *Referral, i int) {
	if t != nil {
		t.prio[r] = i
	}
}

func (t *trace) cond(e *Expr, held bool) {
	if t != nil {
		t.record(e, held)
	}
}

func (t *trace) record(e *Expr, held bool) {
	if held {
		t.conds[e] |= condHeld
	} else {
		t.conds[e] |= condNotHeld
	}
}

// scoreTraced scores ans and says which rule parts held.
func (f *Flow) scoreTraced(ans Answers) (*Summary, *trace, error) {
	t := newTrace()
	s, err := f.score(ans, t)
	return s, t, err
}
