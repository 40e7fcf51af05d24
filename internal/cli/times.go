package cli

import (
	"time"

	"fieldscreen/internal/render"
)

// localTime is t to the minute in the computer's zone (TZ), with the
// offset: times for people are shown in one zone per document, so the
// audit trail of a show agrees with its answers and a listing next to a
// caseworker's is never an hour off.
func localTime(t time.Time) string { return render.Minute(t.Local()) }
