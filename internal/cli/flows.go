package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"fieldscreen/questionnaire"
)

// loadFlow loads FILE, or the built-in flow when path is "".
func loadFlow(path string) (*questionnaire.Flow, error) {
	if path == "" {
		return questionnaire.Builtin()
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, withHint(fmt.Errorf("cannot read flow %s: %w", path, errors.Unwrap(err)), ExitError, "check the file name")
	}
	f, err := questionnaire.Load(path, src)
	if err != nil {
		return nil, err
	}
	// A flow file is an author's: what a stored flow is forgiven (it
	// keeps its interviews readable), a file to start from is not.
	if ps := f.AuthorProblems(); len(ps) > 0 {
		return nil, ps
	}
	return f, nil
}

// loadFlowArg loads a flow file, or a built-in flow: "builtin" (the
// current one) or "builtin:VERSION".
func loadFlowArg(arg string) (*questionnaire.Flow, error) {
	switch {
	case arg == "builtin" || arg == questionnaire.BuiltinName:
		return questionnaire.Builtin()
	case strings.HasPrefix(arg, "builtin:"):
		v := strings.TrimPrefix(arg, "builtin:")
		v = strings.TrimSuffix(strings.TrimPrefix(v, "screening-"), ".yaml")
		if f := questionnaire.BuiltinVersion(v); f != nil {
			return f, nil
		}
		var have []string
		for _, b := range questionnaire.BuiltinVersions() {
			have = append(have, "builtin:"+b.Version)
		}
		return nil, withHint(fmt.Errorf("the built-in flow has no version %q", v), ExitUsage, "built-in flows: builtin, %s", strings.Join(have, ", "))
	}
	return loadFlow(arg)
}
