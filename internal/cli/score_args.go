package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
)

// scoreArgs sorts score's positional arguments into interview IDs and
// files. A file follows --answers or --from, so that 'score --answers
// *.yaml' (which the shell expands to --answers a.yaml b.yaml c.yaml)
// scores every file, and 'score --from x.age y.age' every bundle; with
// both flags, or neither, a file is a bundle if it looks like one and an
// answers file otherwise. An argument that is neither a file nor shaped
// like an interview ID is refused, saying which it is not.
func scoreArgs(c *cobra.Command, o *scoreOpts, args []string) (ids []string, err error) {
	for _, arg := range args {
		fi, statErr := os.Stat(arg)
		switch {
		case statErr == nil && fi.IsDir():
			return nil, usageErr(c, fmt.Sprintf("%s is a folder, not an answers file, a bundle or an interview ID", arg))
		case statErr == nil:
			switch {
			case len(o.answers) > 0 && len(o.from) == 0:
				o.answers = append(o.answers, arg)
			case len(o.from) > 0 && len(o.answers) == 0:
				o.from = append(o.from, arg)
			case looksLikeBundle(arg):
				o.from = append(o.from, arg)
			default:
				o.answers = append(o.answers, arg)
			}
		case looksLikeID(arg):
			ids = append(ids, arg)
		default:
			return nil, usageErr(c, fmt.Sprintf("%q is neither a file (there is none by that name) nor an interview ID (hex digits, as 'fieldscreen list' shows them)", arg))
		}
	}
	return ids, nil
}

// looksLikeID reports whether s could name an interview: at least 4 hex
// digits, with the dashes of a full ID.
func looksLikeID(s string) bool {
	s = strings.TrimSpace(s)
	if len(strings.ReplaceAll(s, "-", "")) < 4 {
		return false
	}
	for _, r := range strings.ToLower(s) {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') && r != '-' {
			return false
		}
	}
	return true
}

// looksLikeBundle reports whether the file at path starts as a handover
// bundle does: age-encrypted, armored, or JSON with a schema_version.
func looksLikeBundle(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	head = bytes.TrimLeft(head[:n], " \t\r\n\ufeff")
	return bytes.HasPrefix(head, []byte("age-encryption.org/")) ||
		bytes.HasPrefix(head, []byte("-----BEGIN AGE ENCRYPTED FILE-----")) ||
		(bytes.HasPrefix(head, []byte("{")) && bytes.Contains(head, []byte(`"schema_version"`)))
}
