package cli

import (
	"errors"
	"fmt"
	"os"

	"fieldscreen/questionnaire"
)

// readAnswersFile loads and checks an answers file, reporting on stderr
// the answers the flow would not ask.
func (a *app) readAnswersFile(f *questionnaire.Flow, path string) (*questionnaire.AnswersFile, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, withHint(fmt.Errorf("cannot read answers file %s: %w", path, errors.Unwrap(err)), ExitError, "check the file name")
	}
	af, err := f.ParseAnswers(path, src)
	if err != nil {
		return nil, err
	}
	for _, id := range af.Dropped {
		fmt.Fprintf(a.io.Err, "fieldscreen: %s: answer to %q dropped: the flow does not ask it under the other answers\n", path, id)
	}
	return af, nil
}
