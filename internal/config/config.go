// Package config reads and writes fieldscreen's settings file: the defaults
// an interviewer would otherwise type on every command (their name, their
// location, the interview language, the referral directory, the public keys
// exports are encrypted to). It knows nothing of the command line or the
// store; a flag given on the command line always wins over a setting here.
//
// The file is YAML. Edits go through the parsed document, so comments and
// the order of keys an administrator wrote are kept, and every write
// replaces the file atomically with mode 0600.
package config

import (
	"bytes"
	"errors"
	"fieldscreen/questionnaire"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Key is a setting a config file may hold.
type Key struct {
	Name string
	Help string
	// List keys hold several values (a YAML list).
	List bool
}

// Keys are every setting, in the order `config list` shows them.
var Keys = []Key{
	{Name: "interviewer", Help: "the interviewer's name or code, recorded with each new interview"},
	{Name: "location", Help: "a location code, recorded with each new interview"},
	{Name: "language", Help: "the interview language (a code such as en or fr) when the flow speaks it"},
	{Name: "referrals", Help: "the path of the referral directory file"},
	{Name: "recipients", Help: "age public keys (age1…) that exports are encrypted to", List: true},
	{Name: "trusted_signers", Help: "minisign public keys (RW…) or .pub files whose bundles and receipts import and purge trust", List: true},
}

// EnvPath names a config file to use instead of the default one.
const EnvPath = "FIELDSCREEN_CONFIG"

// UnknownKeyError is a key that is not a setting.
type UnknownKeyError struct {
	Name    string
	Suggest string // the nearest known key, when it is plausibly a typo
}

func (e *UnknownKeyError) Error() string {
	msg := fmt.Sprintf("unknown setting %q", e.Name)
	if e.Suggest != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", e.Suggest)
	}
	return msg
}

// TextError is a value that is not valid UTF-8 (typed in a terminal set
// to Latin-1, say). It names the setting, never the value.
type TextError struct{ Key string }

func (e *TextError) Error() string {
	return fmt.Sprintf("the value for %s is not valid UTF-8 text (typed in a terminal set to another encoding, such as Latin-1?); nothing was saved: set the terminal to UTF-8 (for example LANG=C.UTF-8) and type it again", e.Key)
}

// Lookup returns the key called name.
func Lookup(name string) (Key, error) {
	names := make([]string, len(Keys))
	for i, k := range Keys {
		if k.Name == name {
			return k, nil
		}
		names[i] = k.Name
	}
	return Key{}, &UnknownKeyError{Name: name, Suggest: questionnaire.Nearest(name, names)}
}

// Names lists every key's name.
func Names() []string {
	out := make([]string, len(Keys))
	for i, k := range Keys {
		out[i] = k.Name
	}
	return out
}

// Path is the config file's place: $FIELDSCREEN_CONFIG, else config.yaml in
// fieldscreen's folder of the user configuration directory.
func Path(getenv func(string) string) (string, error) {
	if p := getenv(EnvPath); p != "" {
		return p, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("cannot find the user configuration folder: %w", err)
	}
	return filepath.Join(dir, "fieldscreen", "config.yaml"), nil
}

// File is a config file as read, ready to change and save.
type File struct {
	Path string
	doc  *yaml.Node // a document node holding one mapping
}

// Load reads the config file at path. A missing file is an empty config.
func Load(path string) (*File, error) {
	f := &File{Path: path, doc: &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode, Tag: "!!map"}}}}
	src, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(src)) == 0 {
		return f, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("%s: %s", path, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if len(doc.Content) == 0 { // only comments
		doc.Content = f.doc.Content
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:%d: the config file must be a mapping of settings (key: value)", path, m.Line)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		key, err := Lookup(k.Value)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, k.Line, err)
		}
		if seen[k.Value] {
			return nil, fmt.Errorf("%s:%d: %q is set twice", path, k.Line, k.Value)
		}
		seen[k.Value] = true
		switch {
		case v.Kind == yaml.ScalarNode:
		case key.List && v.Kind == yaml.SequenceNode:
			for _, e := range v.Content {
				if e.Kind != yaml.ScalarNode {
					return nil, fmt.Errorf("%s:%d: each of %s must be a single value", path, e.Line, key.Name)
				}
			}
		case key.List:
			return nil, fmt.Errorf("%s:%d: %s must be a list of values", path, v.Line, key.Name)
		default:
			return nil, fmt.Errorf("%s:%d: %s must be a single value", path, v.Line, key.Name)
		}
	}
	f.doc = &doc
	return f, nil
}

func (f *File) mapping() *yaml.Node { return f.doc.Content[0] }

func (f *File) find(name string) (int, bool) {
	m := f.mapping()
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == name {
			return i, true
		}
	}
	return 0, false
}

// Get returns the values of a setting: none when it is not set, one for a
// single-valued key.
func (f *File) Get(name string) ([]string, error) {
	if _, err := Lookup(name); err != nil {
		return nil, err
	}
	i, ok := f.find(name)
	if !ok {
		return nil, nil
	}
	v := f.mapping().Content[i+1]
	if v.Kind == yaml.ScalarNode {
		if v.Tag == "!!null" || v.Value == "" {
			return nil, nil
		}
		return []string{v.Value}, nil
	}
	var out []string
	for _, e := range v.Content {
		if e.Value != "" {
			out = append(out, e.Value)
		}
	}
	return out, nil
}

// Set replaces a setting's values; none removes it. A single-valued key
// takes exactly one value.
func (f *File) Set(name string, vals []string) error {
	key, err := Lookup(name)
	if err != nil {
		return err
	}
	if !key.List && len(vals) > 1 {
		return fmt.Errorf("%s takes one value, not %d", name, len(vals))
	}
	for _, v := range vals {
		if !utf8.ValidString(v) {
			return &TextError{Key: name}
		}
	}
	m := f.mapping()
	i, ok := f.find(name)
	if len(vals) == 0 {
		if ok {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
		}
		return nil
	}
	var v *yaml.Node
	if key.List {
		v = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, s := range vals {
			v.Content = append(v.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s})
		}
	} else {
		v = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: vals[0]}
	}
	if ok {
		// Keep the comments written next to the old value.
		old := m.Content[i+1]
		v.HeadComment, v.LineComment, v.FootComment = old.HeadComment, old.LineComment, old.FootComment
		m.Content[i+1] = v
		return nil
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: name}, v)
	return nil
}

// Save writes the file atomically, readable by its owner only: a crash
// leaves either the old file or the new one, never half of either.
func (f *File) Save() error {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if len(f.mapping().Content) == 0 && f.mapping().HeadComment == "" && f.doc.HeadComment == "" {
		buf.Reset()
	} else if err := enc.Encode(f.doc); err != nil {
		return err
	} else if err := enc.Close(); err != nil {
		return err
	}
	dir := filepath.Dir(f.Path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".config-*.yaml.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename, there is nothing to remove
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), f.Path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // make the rename durable; not every system can sync a folder
		d.Close()
	}
	return nil
}
