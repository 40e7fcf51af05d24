package session

import (
	"time"

	"fieldscreen/internal/record"
)

// A bundle records itself in the trail of each interview it carries: an
// export in the interviews it was written from, an import in those it
// brought. Recording a transfer does not change the interview itself, so
// the bundle code stores these marks without moving UpdatedAt.

// MarkExported records an export, by who at at, in iv's audit trail.
// handedOver says the bundle went to named recipients with iv as it is
// now: a completed interview then becomes exported. A draft keeps its
// status, so it can still be resumed.
func MarkExported(iv *record.Interview, at time.Time, who string, t record.Transfer, handedOver bool) {
	if iv.Status == record.StatusCompleted && handedOver {
		iv.Status = record.StatusExported
	}
	iv.Audit = append(iv.Audit, record.Exported(at, who, t))
}

// MarkImported records in iv's audit trail that it was imported, by who
// at at, from the bundle a describes.
func MarkImported(iv *record.Interview, at time.Time, who string, a record.Arrival) {
	iv.Audit = append(iv.Audit, record.Imported(at, who, a))
}
