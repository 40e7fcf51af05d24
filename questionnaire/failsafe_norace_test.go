//go:build !race

package questionnaire

// raceDetector: this test binary runs under the race detector, which makes
// scoring some ten times slower.
const raceDetector = false
