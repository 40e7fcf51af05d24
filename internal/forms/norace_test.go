//go:build !race

package forms

// raceDetector: this test binary runs under the race detector, which makes
// drawing screens some five times slower.
const raceDetector = false
