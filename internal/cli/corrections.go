package cli

import (
	"time"

	"fieldscreen/internal/record"
)

// amendedMark follows the status, in 'list', of an interview corrected
// since its last export; amendedNote explains it under the table.
const (
	amendedMark = "*"
	amendedNote = "* corrected after it was exported: export it again so its recipients have the correction"
)

// correctionFacts are the lines 'show' gives an amended interview: when
// and why each correction was made, and whether after an export.
func correctionFacts(iv *record.Interview, w func(id string, kv ...string) string, when func(time.Time) string) [][2]string {
	var out [][2]string
	for _, c := range iv.Corrections() {
		id := "correction"
		if c.AfterExport {
			id = "correction_after_export"
		}
		out = append(out, [2]string{w("meta_corrected"), w(id, "at", when(c.At), "reason", c.Reason)})
	}
	return out
}
