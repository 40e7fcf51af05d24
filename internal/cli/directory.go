package cli

import (
	"errors"
	"fmt"
	"os"

	"fieldscreen/questionnaire"
)

// directoryPath is where the referral directory comes from: --referrals,
// then FIELDSCREEN_REFERRALS, then the configuration.
func (a *app) directoryPath() string {
	return firstNonEmpty(a.referrals, a.io.Getenv("FIELDSCREEN_REFERRALS"), a.configValue("referrals"))
}

// directory loads the referral directory (if one is set) for flow f, once
// per flow, so summaries can list the local services under each referral.
func (a *app) directory(f *questionnaire.Flow) (*questionnaire.Directory, error) {
	path := a.directoryPath()
	if path == "" {
		return nil, nil
	}
	if d, ok := a.dirs[f.Hash]; ok {
		return d, nil
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, withHint(fmt.Errorf("cannot read referral directory %s: %w", path, errors.Unwrap(err)), ExitError,
			"check --referrals, FIELDSCREEN_REFERRALS or 'fieldscreen config get referrals'")
	}
	d, err := questionnaire.LoadDirectory(path, src, f)
	var probs questionnaire.Problems
	if errors.As(err, &probs) && a.referrals == "" {
		// A directory set in the configuration or environment fits the
		// team's usual flow; with another flow, warn and go on without it.
		fmt.Fprintf(a.io.Err, "fieldscreen: warning: referral directory %s does not fit flow %s (%d problems, first: %s); summaries will not list services\n",
			path, f.ID, len(probs), probs[0].Message)
		d, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	if a.dirs == nil {
		a.dirs = map[string]*questionnaire.Directory{}
	}
	a.dirs[f.Hash] = d
	return d, nil
}

// attachServices lists the directory's services under each referral.
func (a *app) attachServices(s scored) error {
	d, err := a.directory(s.flow)
	if err != nil {
		return err
	}
	d.Attach(s.sum)
	return nil
}

// configValue reads a configuration default ("" when unset).
func (a *app) configValue(key string) string { return a.configDefault(key) }
