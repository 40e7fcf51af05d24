package questionnaire

import (
	"os"
	"strings"
	"testing"
)

func TestDirectory(t *testing.T) {
	f, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("../testdata/examples/referral-directory.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d, err := LoadDirectory("referral-directory.yaml", src, f)
	if err != nil {
		t.Fatal(err)
	}
	if got := d.For("legal_aid"); len(got) != 1 || got[0].ID != "asylum-desk" {
		t.Errorf("services for legal_aid = %v, want asylum-desk", got)
	}
	if got := d.For("interpreter"); len(got) != 0 {
		t.Errorf("services for interpreter = %v, want none", got)
	}
	// An adult (with no age, flow 2.0 gives the benefit of the doubt and
	// refers to child protection too).
	s, err := f.Score(Answers{"consent": "yes", "age": 30, "needs": []string{"medical"}})
	if err != nil {
		t.Fatal(err)
	}
	d.Attach(s)
	if len(s.Referrals) != 1 || s.Referrals[0].ID != "medical_care" || len(s.Referrals[0].Services) != 1 || s.Referrals[0].Services[0].ID != "clinic" {
		t.Errorf("attached referrals = %+v, want medical_care with the clinic", s.Referrals)
	}
}

func TestDirectoryProblems(t *testing.T) {
	f, _ := Builtin()
	src := "services:\n  - id: x\n    name: X\n    serves: [asylum_procedur]\n    phone: 1\n  - id: x\n    serves: []\n"
	_, err := LoadDirectory("d.yaml", []byte(src), f)
	if err == nil {
		t.Fatal("a directory with errors loaded")
	}
	msg := err.Error()
	for _, want := range []string{
		`d.yaml:2:5: service "x" serves "asylum_procedur", which is not a referral of flow trafficking-refugee-screening (did you mean "asylum_procedure"?)`,
		`d.yaml:5:5: unknown key "phone"`,
		`d.yaml:6:5: duplicate service id "x"`,
		`d.yaml:6:5: service "x" has no name`,
		`d.yaml:6:5: service "x" serves no referral`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("problems lack %q; got:\n%s", want, msg)
		}
	}
	for _, bad := range []string{"", "[1, 2]", "services: 3", "services:\n  - 7\n", ":\n:"} {
		if _, err := LoadDirectory("d.yaml", []byte(bad), f); err == nil {
			t.Errorf("LoadDirectory(%q) gave no error", bad)
		}
	}
}
