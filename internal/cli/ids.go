package cli

import (
	"fmt"
	"strings"

	"fieldscreen/internal/render"
	"fieldscreen/internal/store"
)

// shortID is the short form of an interview ID people read (render.ShortID).
func shortID(id string) string { return render.ShortID(id) }

// resolveID finds the interview an ID, or the start or end of one, names.
func resolveID(st *store.Store, s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) < 4 {
		return "", withHint(fmt.Errorf("interview ID %q is too short", s), ExitUsage, "give at least 4 characters, as 'fieldscreen list' shows them")
	}
	entries, err := st.List("")
	if err != nil {
		return "", err
	}
	var found []string
	for _, e := range entries {
		if e.ID == s {
			return e.ID, nil
		}
		// The full ID's start, its end, or the start of the short ID
		// that list prints.
		if strings.HasPrefix(e.ID, s) || strings.HasSuffix(e.ID, s) || strings.HasPrefix(shortID(e.ID), s) {
			found = append(found, e.ID)
		}
	}
	switch len(found) {
	case 0:
		return "", fmt.Errorf("%w %q", store.ErrNoInterview, s)
	case 1:
		return found[0], nil
	}
	return "", fmt.Errorf("%w: %d interviews match %q", store.ErrAmbiguous, len(found), s)
}
