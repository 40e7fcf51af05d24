package sign

import (
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// ScopeFull is the scope of a full bundle; an extract's scope is the
// service it is for.
const ScopeFull = "full"

// manifestTag starts a bundle's trusted comment.
const manifestTag = "fieldscreen-bundle-1"

// Manifest says what a bundle is: the minisign signature's trusted
// comment carries it, and the bundle repeats it inside.
type Manifest struct {
	// BundleID is a new UUID per bundle, so that a bundle imported twice
	// is recognised. Version 7, like interview IDs: 74 random bits make
	// two bundles' IDs collide as rarely as version 4's 122 would for
	// any number of bundles a field team makes, and they sort by time.
	BundleID   string    `json:"bundle_id"`
	Created    time.Time `json:"created"`
	Signer     string    `json:"signer"` // the signing key's ID (FormatID)
	Scope      string    `json:"scope"`  // ScopeFull, or the service an extract is for
	Interviews int       `json:"interviews"`
}

// NewManifest starts a manifest for a bundle k signs now.
func NewManifest(k *Key, scope string, interviews int) (Manifest, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return Manifest{}, fmt.Errorf("cannot make a bundle ID: %w", err)
	}
	m := Manifest{BundleID: id.String(), Created: time.Now().UTC().Truncate(time.Second), Signer: k.ID(), Scope: scope, Interviews: interviews}
	return m, m.check()
}

// Comment is the manifest as a minisign trusted comment: one line that
// `minisign -V` prints.
func (m Manifest) Comment() string {
	return fmt.Sprintf("%s id=%s created=%s signer=%s scope=%s interviews=%d",
		manifestTag, m.BundleID, m.Created.UTC().Format(timeFormat), m.Signer, m.Scope, m.Interviews)
}

// ParseComment reads a manifest from a trusted comment.
func ParseComment(c string) (Manifest, error) {
	f := strings.Split(c, " ")
	bad := func(why string) (Manifest, error) {
		return Manifest{}, fmt.Errorf("the signature's trusted comment is not a fieldscreen bundle manifest (%s)", why)
	}
	if len(f) != 6 || f[0] != manifestTag {
		return bad("unknown layout")
	}
	var m Manifest
	want := []string{"id", "created", "signer", "scope", "interviews"}
	for i, kv := range f[1:] {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k != want[i] {
			return bad("expected " + want[i])
		}
		switch k {
		case "id":
			m.BundleID = v
		case "created":
			t, err := time.Parse(timeFormat, v)
			if err != nil {
				return bad("created")
			}
			m.Created = t.UTC()
		case "signer":
			m.Signer = v
		case "scope":
			m.Scope = v
		case "interviews":
			n, ok := parseUint(v)
			if !ok {
				return bad("interviews")
			}
			m.Interviews = n
		}
	}
	if err := m.check(); err != nil {
		return bad(err.Error())
	}
	return m, nil
}

func (m Manifest) check() error {
	if u, err := uuid.Parse(m.BundleID); err != nil || u.String() != m.BundleID {
		return fmt.Errorf("bundle ID")
	}
	if len(m.Signer) != 16 || strings.Trim(m.Signer, "0123456789ABCDEF") != "" {
		return fmt.Errorf("signer")
	}
	if !ValidScope(m.Scope) {
		return fmt.Errorf("scope")
	}
	if m.Interviews < 0 {
		return fmt.Errorf("interviews")
	}
	return nil
}

// ValidScope reports whether s can be a manifest's scope: full, or a
// service ID (lower-case letters, digits and underscores).
func ValidScope(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// Match reports where inner (the manifest a bundle carries inside)
// differs from m (the signed one); nil if they agree.
func (m Manifest) Match(inner *Manifest) error {
	if inner == nil {
		return fmt.Errorf("%w: the bundle carries no manifest, but its signature names one", ErrManifest)
	}
	var diff []string
	if inner.BundleID != m.BundleID {
		diff = append(diff, "bundle ID")
	}
	if !inner.Created.Equal(m.Created) {
		diff = append(diff, "created")
	}
	if inner.Signer != m.Signer {
		diff = append(diff, "signer")
	}
	if inner.Scope != m.Scope {
		diff = append(diff, "scope")
	}
	if inner.Interviews != m.Interviews {
		diff = append(diff, "interview count")
	}
	if diff != nil {
		return fmt.Errorf("%w: the manifest inside the bundle differs from the signed one in: %s", ErrManifest, strings.Join(diff, ", "))
	}
	return nil
}
