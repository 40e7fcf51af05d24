package bundle

import "fieldscreen/internal/record"

// HandedOver reports whether the export rep describes is a handover: a
// JSON bundle (which imports) encrypted to at least one recipient. Only a
// handover makes a completed interview 'exported'; a CSV file "for
// statistics" or a --plaintext bundle is still recorded in the audit
// trail as a transfer, but nobody named received it, so 'purge --status
// exported' must not count it as handed over.
func (rep *Report) HandedOver() bool {
	f, _ := FormatNamed(rep.formatName())
	return rep != nil && f.Importable && rep.Encrypted && len(rep.Recipients) > 0
}

// formatName is the report's format, or "" for no report.
func (rep *Report) formatName() string {
	if rep == nil {
		return ""
	}
	return rep.Format
}

// HandedOver reports whether iv's audit trail records a handover (see
// Report.HandedOver): an "exported" event for a JSON bundle with
// recipients' key fingerprints. An interview marked exported by an
// earlier version for a CSV file or a plaintext bundle has none.
func HandedOver(iv *record.Interview) bool {
	for _, e := range iv.Audit {
		if e.Handover() { // reads TransferDetail's fields
			return true
		}
	}
	return false
}
