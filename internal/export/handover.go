package export

import (
	"strings"

	"fieldscreen/internal/store"
)

// HandedOver reports whether the export rep describes is a handover: a
// JSON bundle (which imports) encrypted to at least one recipient. Only a
// handover makes a completed interview 'exported'; a CSV file "for
// statistics" or a --plaintext bundle is still recorded in the audit
// trail as a transfer, but nobody named received it, so 'purge --status
// exported' must not count it as handed over.
func (rep *Report) HandedOver() bool {
	return rep != nil && rep.Format == "json" && rep.Encrypted && len(rep.Recipients) > 0
}

// HandedOver reports whether iv's audit trail records a handover (see
// Report.HandedOver): an "exported" event for a JSON bundle with
// recipients' key fingerprints. An interview marked exported by an
// earlier version for a CSV file or a plaintext bundle has none.
func HandedOver(iv *store.Interview) bool {
	for _, e := range iv.Audit {
		if e.Event != store.EventExported {
			continue
		}
		// TransferDetail: "format=F; purpose=\"…\"; recipients=R; …". The
		// purpose is free text that may itself hold "; recipients=", so
		// the format is read from the start and the recipients from the
		// last field of that name.
		parts := strings.Split(e.Detail, "; ")
		recipients := ""
		for _, part := range parts {
			if v, ok := strings.CutPrefix(part, "recipients="); ok {
				recipients = v
			}
		}
		if parts[0] == "format=json" && recipients != "" && !strings.HasPrefix(recipients, "none") {
			return true
		}
	}
	return false
}
