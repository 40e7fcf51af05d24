package store

import "slices"

// Size classes of sealed records. The size of a sealed record is the one
// thing about it anyone with the file can see, so records are padded to a
// few fixed sizes, chosen from what interviews measure (go test -run
// TestRecordSizesHideTheOutcome -v ./internal/store prints it; the
// synthetic generator, internal/synth, and the scenarios under
// testdata/scenarios are measured): on the built-in flow 2.0.0 a completed
// interview's record is 0.6 KB (consent refused) to 3.1 KB sealed, so the
// smallest class holds them all, and a refusal looks like an urgent
// referral. Larger records (long free text, many exports in the audit
// trail) take the next class up, which tells only that the interview is
// long.
//
// Interview records: 4048, 8144, 16336, 32720 and 65488 bytes, then
// multiples of 64 KiB less 48. A class is a whole number of 4 KiB pages
// less bbolt's page header, element header and key (16 bytes each), so a
// record fills its pages and wastes none.
//
// Index entries (status, times, outcome, names): 320, 640, 1280, 2560 and
// 5120 bytes, then multiples of 5120. The outcome's words are at most a
// few dozen bytes, far below a class.
type sizeClasses struct{ base, slack int }

var (
	interviewClasses = sizeClasses{base: 4096, slack: 48}
	entryClasses     = sizeClasses{base: 320, slack: 0}
)

// fit returns the class a sealed record of n bytes is padded to.
func (c sizeClasses) fit(n int) int {
	for k := 0; k <= 4; k++ {
		if s := c.base<<k - c.slack; n <= s {
			return s
		}
	}
	step := c.base << 4
	return (n+c.slack+step-1)/step*step - c.slack
}

// padPlain pads a binary record's plaintext with spaces (which the
// decoder skips) so that, sealed, it is exactly a class's size.
func padPlain(pt []byte, c sizeClasses) []byte {
	n := len(pt)
	want := c.fit(n+recordOverhead) - recordOverhead
	pt = slices.Grow(pt, want-n)[:want]
	for i := n; i < want; i++ {
		pt[i] = ' '
	}
	return pt
}
