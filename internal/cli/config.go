package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"fieldscreen/internal/bundle"
	"fieldscreen/internal/config"
	"fieldscreen/internal/sign"
)

func configKeyErr(c *cobra.Command, err error) error {
	var uk *config.UnknownKeyError
	if errors.As(err, &uk) {
		return withHint(err, ExitUsage, "the settings are: %s", strings.Join(config.Names(), ", "))
	}
	return usageErr(c, err.Error())
}

var languageCode = regexp.MustCompile(`^[a-z]{2,3}([-_][A-Za-z0-9]{2,8})*$`)

// checkSetting checks the values of a setting before they are saved, and
// puts them in the form they are kept in.
func checkSetting(key config.Key, vals []string) ([]string, error) {
	switch key.Name {
	case "language":
		if !languageCode.MatchString(vals[0]) {
			return nil, withHint(fmt.Errorf("%q is not a language code", vals[0]), ExitUsage, "use a code such as en, fr or pt-BR, as the flow's languages list them")
		}
	case "referrals":
		// Kept absolute: commands run from any folder.
		p, err := filepath.Abs(vals[0])
		if err != nil {
			return nil, err
		}
		if st, err := os.Stat(p); err != nil || st.IsDir() {
			return nil, withHint(fmt.Errorf("no referral directory file at %s", p), ExitUsage, "give the path of an existing file")
		}
		vals = []string{p}
	case "trusted_signers":
		var out []string
		for _, v := range vals {
			if _, err := sign.ParsePublic([]byte(v)); err == nil {
				out = append(out, strings.TrimSpace(v))
				continue
			}
			// A .pub file, kept absolute: commands run from any folder.
			p, err := filepath.Abs(v)
			if err == nil {
				err = sign.NewTrust().AddFile(p)
			}
			if err != nil {
				return nil, withHint(err, ExitUsage, "give a minisign public key (the line starting with RW) or the file 'fieldscreen key signing' wrote")
			}
			out = append(out, p)
		}
		vals = out
	case "recipients":
		var out []string
		for _, v := range vals {
			for _, s := range strings.Split(v, ",") {
				if s = strings.TrimSpace(s); s == "" {
					continue
				}
				r, err := bundle.ParseRecipient(s)
				if err != nil {
					return nil, withHint(err, ExitUsage, "give age public keys, which start with age1 (age-keygen -y prints the public key of a key file)")
				}
				out = append(out, r.Text)
			}
		}
		vals = out
	}
	return vals, nil
}

func (a *app) loadConfig() (*config.File, error) {
	p, err := config.Path(a.io.Getenv)
	if err != nil {
		return nil, err
	}
	f, err := config.Load(p)
	if err != nil {
		return nil, withHint(fmt.Errorf("the settings file is not valid: %w", err), ExitError,
			"fix it in a text editor, or remove it (see 'fieldscreen config path')")
	}
	return f, nil
}

func (a *app) saveConfig(f *config.File) error {
	if err := f.Save(); err != nil {
		return withHint(fmt.Errorf("cannot save the settings: %w", err), ExitError, "check that you may write to %s", filepath.Dir(f.Path))
	}
	return nil
}

// configDefault returns a setting's value, for use as a flag's default: ""
// when it is not set, and its values joined by commas for a list. A broken
// settings file is reported once on stderr and then read as empty, so that
// it never stops an interview.
func (a *app) configDefault(key string) string {
	return strings.Join(a.configValues(key), ",")
}

// configValues returns a setting's values (recipients has several).
func (a *app) configValues(key string) []string {
	f, err := a.loadConfig()
	if err == nil {
		var vals []string
		if vals, err = f.Get(key); err == nil {
			return vals
		}
	}
	if !a.configWarned {
		a.configWarned = true
		msg, hint := explain(err)
		fmt.Fprintf(a.io.Err, "fieldscreen: warning: settings ignored: %s\n", msg)
		if hint != "" {
			fmt.Fprintf(a.io.Err, "hint: %s\n", hint)
		}
	}
	return nil
}

// completeConfigKey completes a setting's name, with its help.
func completeConfigKey(c *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	for _, k := range config.Keys {
		out = append(out, k.Name+"\t"+k.Help)
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
