package questionnaire

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The guide's case files (docs/authoring.md, "Testing a flow with cases"):
// a YAML block whose first line is "# case file: NAME" is a piece of
// testdata/flowtests/NAME, whose cases all pass on the guide's example
// flow with full coverage; "# case file that fails: NAME" is a piece of
// a file in which at least one case fails.
func TestGuideCaseFiles(t *testing.T) {
	doc, err := os.ReadFile(guideDoc)
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n# case file(| that fails): ([^\n]+)\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	if len(blocks) < 2 {
		t.Fatalf("found %d case files in %s", len(blocks), guideDoc)
	}
	f := loadGuideFlow(t)
	for _, b := range blocks {
		fails, name, body := b[1] != "", b[2], b[3]
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(flowtestDir, name))
			if err != nil {
				t.Fatalf("the guide shows a case file %s that is not in %s", name, flowtestDir)
			}
			if !strings.Contains(string(src), body) {
				t.Errorf("this case file of the guide is not in %s; copy it from there:\n%s", name, body)
			}
			res := f.RunCases([]*CaseFile{readCases(t, f, name)}, nil)
			switch {
			case fails && res.Failed() == 0:
				t.Errorf("the guide says %s fails, and every case passes", name)
			case !fails && res.Failed() > 0:
				t.Errorf("%d cases of %s fail", res.Failed(), name)
			case !fails && res.Coverage.Percent != 100:
				t.Errorf("%s covers %.1f%% of the rules", name, res.Coverage.Percent)
			}
		})
	}
}
