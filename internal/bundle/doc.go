// Package bundle moves interviews off the laptop and back in as handover
// bundles: one JSON document (optionally age-encrypted) holding the flows
// the interviews were taken with, and per interview its metadata, consent,
// answers with their labels, summary and audit trail.
//
// Writing streams: interviews are read from the store one at a time and
// written through the encoder (and the age writer), so the size of a bundle
// does not bound memory. Reading streams too (Reader.Next), so scoring a
// bundle holds one interview at a time, and so does importing one: it
// reads the bundle twice, once to check it whole and once to store it in
// batches (ImportWith).
//
// A bundle comes from outside: every part of it has a size limit
// (limits.go), its answers must be ones its flow could have recorded
// (checkAnswers), and its flows, which are code, run only if they are
// built in, already in the store, or accepted by the person (Verify shows
// them).
//
// A JSON bundle ends with interviews_sha256, and an import rescores every
// interview and refuses a bundle whose summaries disagree. Both catch
// damage and careless edits of a plaintext bundle; neither can prove it was
// not changed on purpose. Its signature does (internal/sign: the caller
// signs the bytes Options.FileHash saw, with the manifest Options.Manifest
// made, which the header carries too). ExportExtract writes a
// need-to-know extract for one service (render.BuildExtract) the same way.
//
// A bundle file is written to a temporary file beside its destination,
// fsynced and renamed, so a failure leaves no partial file behind. Export,
// Import and Verify take a context: cancelled (Ctrl-C, through the CLI),
// they stop, erase what they had written (the temporary file, the
// interviews added) and return the context's error.
//
// Where things are: the bundle's layout (bundle.go: Header, Interview,
// Answer, AuditEvent, Flow), the export formats (formats.go: one table),
// writing (export.go, jsonwriter.go, csv.go, file.go, stream.go), the
// bookkeeping after an export (mark.go, purge.go), reading (read.go,
// split.go, lean.go), importing (import.go, with importcheck.go: the
// export's check that its bundle imports shares import's loop), the size
// limits (limits.go) and, in internal/wire, the bytes: the canonical form
// interviews_sha256 hashes and the lean scanner. Work runs on every core
// through internal/parallel.
//
// The package must not prompt or print: it returns what it did and typed
// errors, and the CLI decides what to tell the person. Its error messages
// never quote an answer, a name or any other byte of a bundle's content.
package bundle
