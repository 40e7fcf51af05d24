package cli

import "time"

// Times for people are shown in one time zone per document, the
// computer's (TZ), with its offset: a printed summary read in another
// office, or a listing next to a caseworker's, is never an hour off, and
// the audit trail of a show agrees with its answers. JSON keeps RFC 3339
// in UTC.
const (
	minuteLayout = "2006-01-02 15:04 -07:00"
	secondLayout = "2006-01-02 15:04:05 -07:00"
)

// localTime is t to the minute in the local zone, with the offset.
func localTime(t time.Time) string { return t.Local().Format(minuteLayout) }
