package render

import "time"

// Times for people are shown in one time zone per document, the one the
// caller puts them in (the CLI: the computer's, TZ), with its offset: a
// printed summary read in another office, or a listing next to a
// caseworker's, is never an hour off. JSON keeps RFC 3339 in UTC.
const (
	minuteLayout = "2006-01-02 15:04 -07:00"
	// SecondLayout is the layout of a time to the second, as an audit
	// trail shows it.
	SecondLayout = "2006-01-02 15:04:05 -07:00"
)

// Minute is t to the minute in t's own zone, with the offset.
func Minute(t time.Time) string { return t.Format(minuteLayout) }
