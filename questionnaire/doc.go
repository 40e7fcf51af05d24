// Package questionnaire is the flow language of fieldscreen: it loads and
// validates a flow written in YAML, decides which questions are asked given
// the answers so far, checks answers, and scores a set of answers into a
// summary of findings, referrals, cautions and solutions.
//
// Everything a form author can change lives in the flow's YAML; this package
// holds no rule of the built-in flow in Go. It is pure: it reads no terminal,
// opens no database and knows nothing of the command line. Data flows one
// way, YAML → Flow → questions asked → Answers → Summary; nothing here
// reaches back into the store, the forms or the export.
package questionnaire
