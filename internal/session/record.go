package session

import (
	"errors"
	"time"

	"fieldscreen/internal/store"
	"fieldscreen/questionnaire"
)

// Record is where the record of a running interview is kept: the forms
// read and change it only through one. Stored keeps a draft in the store,
// each change in one durable transaction; Unsaved stores nothing until
// the first answer; Amending keeps the changes to a completed interview
// in memory and stores them, as one amendment, when it completes.
type Record interface {
	// Get returns the record as it is now. The caller must not change it.
	Get() (*store.Interview, error)
	// Update changes the record with fn and returns it as changed. If fn
	// fails, nothing changes.
	Update(fn func(iv *store.Interview) error) (*store.Interview, error)
	// Complete ends the interview on flow f.
	Complete(f *questionnaire.Flow, now time.Time) (*store.Interview, error)
}

// Stored is the Record of interview id in st.
func Stored(st *store.Store, id string) Record { return &stored{st, id} }

type stored struct {
	st *store.Store
	id string
}

func (s *stored) Get() (*store.Interview, error) { return s.st.Get(s.id) }

func (s *stored) Update(fn func(iv *store.Interview) error) (*store.Interview, error) {
	return s.st.Update(s.id, fn)
}

func (s *stored) Complete(f *questionnaire.Flow, now time.Time) (*store.Interview, error) {
	return s.st.Update(s.id, func(iv *store.Interview) error { return Complete(iv, f, now) })
}

// Unsaved is a new interview that is stored with its first answer, so an
// interview stopped before it leaves nothing behind: no record, and no
// store if there was none (open creates it when first called).
type Unsaved struct {
	iv    *store.Interview
	f     *questionnaire.Flow
	open  func() (*store.Store, error)
	saved Record
}

// NewUnsaved keeps iv (from Begin, on flow f) until its first change;
// open returns the store to put it in then.
func NewUnsaved(iv *store.Interview, f *questionnaire.Flow, open func() (*store.Store, error)) *Unsaved {
	return &Unsaved{iv: iv, f: f, open: open}
}

// Saved reports whether the interview has been stored.
func (u *Unsaved) Saved() bool { return u.saved != nil }

func (u *Unsaved) Get() (*store.Interview, error) {
	if u.saved != nil {
		return u.saved.Get()
	}
	return clone(u.iv), nil
}

func (u *Unsaved) Update(fn func(iv *store.Interview) error) (*store.Interview, error) {
	if u.saved != nil {
		return u.saved.Update(fn)
	}
	iv := clone(u.iv)
	if err := fn(iv); err != nil {
		return nil, err
	}
	st, err := u.open()
	if err != nil {
		return nil, err
	}
	if err := st.PutFlow(u.f.Hash, u.f.Source); err != nil {
		return nil, err
	}
	if err := st.Put(iv); err != nil {
		return nil, err
	}
	u.saved = Stored(st, iv.ID)
	return clone(iv), nil
}

func (u *Unsaved) Complete(f *questionnaire.Flow, now time.Time) (*store.Interview, error) {
	return u.Update(func(iv *store.Interview) error { return Complete(iv, f, now) })
}

// Amending is the Record of a completed interview being amended: the
// answers change in memory (set aside and restored as in a draft), and
// Complete stores them as one amendment with its reason (see Amend). An
// amendment stopped before it completes changes nothing.
type Amending struct {
	st     *store.Store
	work   *store.Interview
	reason string
	who    string
	result Amendment
}

// StartAmending begins amending iv, stored in st, for reason; who makes
// the correction.
func StartAmending(st *store.Store, iv *store.Interview, reason, who string) (*Amending, error) {
	if iv.Status != store.StatusCompleted && iv.Status != store.StatusExported {
		return nil, ErrNotCompleted
	}
	return &Amending{st: st, work: clone(iv), reason: reason, who: who}, nil
}

func (a *Amending) Get() (*store.Interview, error) { return clone(a.work), nil }

func (a *Amending) Update(fn func(iv *store.Interview) error) (*store.Interview, error) {
	iv := clone(a.work)
	if err := fn(iv); err != nil {
		return nil, err
	}
	a.work = iv
	return clone(iv), nil
}

// errUnchanged leaves the stored interview as it was (Update writes
// nothing when its function fails).
var errUnchanged = errors.New("unchanged")

// Complete stores the amendment in one durable transaction, or nothing
// if no answer changed; Result says which.
func (a *Amending) Complete(f *questionnaire.Flow, now time.Time) (*store.Interview, error) {
	ans := questionnaire.Answers(a.work.AnswersMap())
	iv, err := a.st.Update(a.work.ID, func(iv *store.Interview) error {
		res, err := Amend(iv, f, ans, a.reason, a.who, now)
		if err != nil {
			return err
		}
		a.result = res
		if res.Empty() {
			return errUnchanged
		}
		return nil
	})
	if errors.Is(err, errUnchanged) {
		return a.st.Get(a.work.ID)
	}
	if err != nil {
		return nil, err
	}
	return iv, nil
}

// Result is what the amendment changed, once Complete has run; empty if
// nothing changed or it has not run.
func (a *Amending) Result() Amendment { return a.result }
