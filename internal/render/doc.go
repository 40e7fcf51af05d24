// Package render turns a flow and its summaries into words for people: the
// summary of one interview for the terminal and as a Markdown handover
// document, the flow as a printable paper questionnaire, and a list of the
// answers given.
//
// Every function here is pure: it writes to the io.Writer it is given and
// nothing else. It never looks at os.Stdout, never asks whether it writes to
// a terminal and never reads the environment; the caller decides the width
// and whether colour is on. All words about the screening come from the flow
// in the reader's language; the few words of the page itself (headings such
// as "Referrals") come from internal/words, shared with the interview
// screens, which a flow may override with `strings:`.
package render
