package config

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestSetGetKeepsCommentsAndMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "config.yaml")
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := f.Get("interviewer"); v != nil {
		t.Fatalf("empty config: got %q", v)
	}
	must(t, f.Set("interviewer", []string{"A. Officer"}))
	must(t, f.Set("recipients", []string{"age1a", "age1b"}))
	must(t, f.Save())
	if runtime.GOOS != "windows" {
		st, err := os.Stat(path)
		must(t, err)
		if st.Mode().Perm() != 0o600 {
			t.Errorf("mode %v, want 0600", st.Mode().Perm())
		}
	}

	// An administrator's comments survive a change.
	src, _ := os.ReadFile(path)
	must(t, os.WriteFile(path, append([]byte("# set up by the field office\n"), src...), 0o600))
	f, err = Load(path)
	must(t, err)
	must(t, f.Set("interviewer", []string{"B. Officer"}))
	must(t, f.Set("recipients", nil))
	must(t, f.Save())
	src, _ = os.ReadFile(path)
	if !strings.Contains(string(src), "# set up by the field office") || !strings.Contains(string(src), "B. Officer") || strings.Contains(string(src), "recipients") {
		t.Errorf("after the change:\n%s", src)
	}
	f, err = Load(path)
	must(t, err)
	if v, _ := f.Get("interviewer"); len(v) != 1 || v[0] != "B. Officer" {
		t.Errorf("interviewer = %q", v)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("a temporary file was left behind: %v", entries)
	}
}

func TestUnknownKeys(t *testing.T) {
	var uk *UnknownKeyError
	if _, err := Lookup("intervewer"); !errors.As(err, &uk) || uk.Suggest != "interviewer" {
		t.Errorf("Lookup(intervewer) = %v", err)
	}
	if _, err := Lookup("colour"); !errors.As(err, &uk) || uk.Suggest != "" {
		t.Errorf("Lookup(colour) = %v", err)
	}
	f, _ := Load(filepath.Join(t.TempDir(), "none.yaml"))
	if err := f.Set("locaton", []string{"x"}); !errors.As(err, &uk) {
		t.Errorf("Set(locaton) = %v", err)
	}
	if err := f.Set("location", []string{"a", "b"}); err == nil {
		t.Error("a single-valued key took two values")
	}
}

func TestLoadRejects(t *testing.T) {
	for name, src := range map[string]string{
		"unknown key":   "interviewer: a\nlangauge: en\n",
		"twice":         "interviewer: a\ninterviewer: b\n",
		"list for one":  "location: [a, b]\n",
		"map for list":  "recipients: {a: b}\n",
		"not a mapping": "- a\n",
		"bad yaml":      "interviewer: [\n",
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.yaml")
			must(t, os.WriteFile(path, []byte(src), 0o600))
			if _, err := Load(path); err == nil || !strings.Contains(err.Error(), path) {
				t.Errorf("Load = %v, want an error naming the file", err)
			}
		})
	}
}

func TestPath(t *testing.T) {
	p, err := Path(func(k string) string {
		if k == EnvPath {
			return "/x/c.yaml"
		}
		return ""
	})
	if err != nil || p != "/x/c.yaml" {
		t.Errorf("Path = %q, %v", p, err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestSetRefusesInvalidUTF8: a value typed in a Latin-1 terminal is
// refused, naming the setting and not the value; the file is unchanged.
func TestSetRefusesInvalidUTF8(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	f, err := Load(path)
	must(t, err)
	must(t, f.Set("interviewer", []string{"José"}))
	must(t, f.Save())
	for _, tc := range []struct {
		key  string
		vals []string
	}{
		{"interviewer", []string{"Jos\xe9"}},
		{"location", []string{"Bogot\xe1"}},
		{"recipients", []string{"age1ok", "age1\xff"}},
	} {
		err := f.Set(tc.key, tc.vals)
		var te *TextError
		if !errors.As(err, &te) || te.Key != tc.key || !strings.Contains(err.Error(), "UTF-8") || strings.Contains(err.Error(), "\xe9") {
			t.Errorf("Set(%s) = %v", tc.key, err)
		}
	}
	g, err := Load(path)
	must(t, err)
	if v, _ := g.Get("interviewer"); len(v) != 1 || v[0] != "José" {
		t.Errorf("interviewer = %q", v)
	}
}
