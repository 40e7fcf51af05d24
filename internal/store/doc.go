// Package store keeps interviews on the field laptop in one encrypted bbolt
// file.
//
// The laptop may be seized, so everything about a person is sealed with
// XChaCha20-Poly1305 under a random master key before it reaches the disk;
// bucket keys are keyed hashes of random IDs, never question IDs or names.
// The master key is wrapped once per passphrase (key slot) with argon2id.
//
// The file is opened for one transaction at a time and closed again, so a
// prompt waiting for a person never holds it. Deleting interviews or
// passphrases overwrites the freed pages with zeros and then rewrites the
// file, so that the removed bytes do not linger (erase.go). Records are
// padded to fixed size classes (sizes.go), and a sealed digest of every
// record lets Check notice an older record put back (digest.go).
//
// Where things are: store.go opens, creates and closes a store; tx.go runs
// read and write transactions; interviews.go puts, gets, lists and deletes
// interview records; each.go walks them with a read-ahead; decode.go turns
// sealed records back into interviews; flows.go keeps flow sources;
// import.go, update_many.go and batch.go handle many records at once;
// model.go defines the records themselves.
//
// The package must not prompt, print, or choose where the store lives beyond
// offering DefaultPath: that belongs to the CLI.
package store
