package store

import (
	"encoding/json"
	"errors"
	"fmt"

	"fieldscreen/internal/record"
)

// Errors a caller can test for with errors.Is. Their text is written for a
// person in a field office; none of them ever holds an answer or a name.
var (
	ErrNotFound        = errors.New("no interview store at this path")
	ErrExists          = errors.New("an interview store already exists at this path")
	ErrWrongPassphrase = errors.New("wrong passphrase")
	ErrCorrupt         = errors.New("the interview store is damaged or is not a fieldscreen store")
	ErrInUse           = errors.New("the interview store is in use by another fieldscreen process; finish or close it and try again")
	ErrNoInterview     = errors.New("no such interview")
	ErrAmbiguous       = errors.New("interview id prefix matches more than one interview; type more of the id")
	ErrShortPrefix     = errors.New("interview id prefix must be at least 4 characters")
	ErrNoFlow          = errors.New("no such flow in the store")
	ErrNoKey           = errors.New("no such key slot")
	ErrLastKey         = errors.New("cannot remove the last passphrase: add another one first")
	ErrKeyInUse        = errors.New("that passphrase already opens the store")
	ErrClosed          = errors.New("store is closed")
	ErrNotRegular      = errors.New("the interview store path does not name a file")
	ErrNewerStore      = errors.New("the interview store was written by a newer version of fieldscreen")
	ErrRekeyed         = errors.New("the interview store was re-encrypted under a new key by another fieldscreen command")
)

// CorruptError says what is wrong with a damaged store file. It matches
// ErrCorrupt with errors.Is.
type CorruptError struct {
	Path   string
	Detail error
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("%v (%s: %v); run 'fieldscreen check' for details", ErrCorrupt, e.Path, e.Detail)
}

func (e *CorruptError) Is(target error) bool { return target == ErrCorrupt }
func (e *CorruptError) Unwrap() error        { return e.Detail }

func corrupt(path string, format string, args ...any) error {
	return &CorruptError{Path: path, Detail: fmt.Errorf(format, args...)}
}

// safeDecodeError describes a JSON decoding failure without quoting any of
// the decoded text: a syntax error message from encoding/json may carry a
// character of the plaintext.
func safeDecodeError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("record content is not valid json (offset %d)", syn.Offset)
	case errors.As(err, &typ):
		return fmt.Errorf("record field %q has the wrong type", typ.Field)
	case errors.Is(err, record.ErrValueType):
		return record.ErrValueType
	default:
		return errors.New("record content cannot be parsed")
	}
}
