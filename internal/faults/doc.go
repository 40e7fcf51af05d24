// Package faults holds fault-injection tests of the real fieldscreen
// binary: processes killed mid-write, a full disk, two writers at once,
// and damaged store files. They prove that what a person was told is saved
// survives, and that every failure reads as a clear message.
//
// The tests are slow and need a build tag:
//
//	go test -race -tags faults ./internal/faults/ -seed 12345
//
// Random choices come from -seed (logged, so a failure can be replayed).
// The package has no code of its own and must not be imported.
package faults
