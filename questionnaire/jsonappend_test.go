package questionnaire

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// AppendJSON must write what encoding/json writes for the same summary.
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	f := builtin(t)
	odd := "a\"b\\c\n\t\x01<>&\u2028\u2029é\xff end"
	cases := []Answers{
		{"consent": "no"},
		{"consent": "yes", "age": 16, "country_of_origin": odd, "needs": []string{"medical", "legal_aid"}, "present_in": "destination_country",
			"ever_exploited": "yes", "trafficking_act": []string{"recruited"}, "exploitation": []string{"forced_labour"}, "fears_return": "yes",
			"feared_harm": []string{"re_trafficking"}, "targeted_because": []string{"religion", "being_a_child"}, "deportation_risk": "yes"},
	}
	for i, ans := range cases {
		s, err := f.Score(ans)
		if err != nil {
			t.Fatal(err)
		}
		s.InterviewID, s.Source, s.Status, s.Language = odd, odd, "completed", "en"
		if i == 1 {
			created, done := time.Date(2026, 3, 14, 9, 30, 0, 123, time.FixedZone("", 3600)), time.Date(2026, 3, 14, 10, 5, 0, 0, time.UTC)
			s.Location, s.Interviewer, s.CreatedAt, s.CompletedAt = odd, "A. Officer", &created, &done
		}
		if i == 1 && len(s.Referrals) > 0 {
			s.Referrals[0].Services = []*Service{{ID: "x", Name: odd, Serves: []string{"legal_aid"}}}
			s.Referrals[0].Reasons = nil
		}
		got, err := s.AppendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		want, err := referenceJSON(s)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, want); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, buf.Bytes()) {
			t.Errorf("case %d:\nAppendJSON: %s\njson:       %s", i, got, buf.Bytes())
		}
		// And through encoding/json's own marshalling of the value.
		viaJSON, _ := json.Marshal(s)
		if !bytes.Equal(got, viaJSON) {
			t.Errorf("case %d: json.Marshal differs:\n%s\n%s", i, got, viaJSON)
		}
	}
}

func BenchmarkSummaryJSON(b *testing.B) {
	f, _ := Builtin()
	s, _ := f.Score(Answers{"consent": "yes", "age": 30, "needs": []string{"medical"}, "ever_exploited": "yes",
		"trafficking_act": []string{"recruited"}, "exploitation": []string{"forced_labour"}})
	var buf []byte
	for range b.N {
		buf, _ = s.AppendJSON(buf[:0])
	}
}

// referenceJSON is the summary laid out as an Object and written by
// encoding/json: what AppendJSON must reproduce.
func referenceJSON(s *Summary) ([]byte, error) {
	o := newObject()
	o.set([]string{"interview_id"}, s.InterviewID)
	if s.Source != "" {
		o.set([]string{"source"}, s.Source)
	}
	o.set([]string{"flow"}, s.Flow)
	if s.Status != "" {
		o.set([]string{"status"}, s.Status)
	}
	if s.Language != "" {
		o.set([]string{"language"}, s.Language)
	}
	if s.Location != "" {
		o.set([]string{"location"}, s.Location)
	}
	if s.Interviewer != "" {
		o.set([]string{"interviewer"}, s.Interviewer)
	}
	if s.CreatedAt != nil {
		o.set([]string{"created_at"}, *s.CreatedAt)
	}
	if s.CompletedAt != nil {
		o.set([]string{"completed_at"}, *s.CompletedAt)
	}
	if s.Fields != nil {
		for _, k := range s.Fields.keys {
			o.set([]string{k}, s.Fields.Value(k))
		}
	}
	o.set([]string{"referrals"}, nonNil(s.Referrals))
	o.set([]string{"cautions"}, nonNil(s.Cautions))
	o.set([]string{"information_gaps"}, nonNil(s.InformationGaps))
	o.set([]string{"basis"}, nonNil(s.Basis))
	return o.MarshalJSON()
}
