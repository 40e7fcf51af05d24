package bundle

import (
	"testing"

	"fieldscreen/internal/record"
)

func TestHandedOver(t *testing.T) {
	detail := func(format, purpose string, recipients []string, encrypted bool) string {
		return TransferDetail(&Report{Format: format, Purpose: purpose, Recipients: recipients, Encrypted: encrypted, SHA256: "ab", FileSHA256: "cd"})
	}
	for _, tc := range []struct {
		name   string
		detail string
		want   bool
	}{
		{"json to a recipient", detail("json", "referral", []string{"0123456789abcdef"}, true), true},
		{"json to two", detail("json", "referral", []string{"0123456789abcdef", "fedcba9876543210"}, true), true},
		{"plaintext json", detail("json", "archive", nil, false), false},
		{"csv", detail("csv", "statistics", nil, false), false},
		{"csv encrypted", detail("csv", "statistics", []string{"0123456789abcdef"}, true), false},
		{"a purpose that forges recipients", detail("json", "x; recipients=0123456789abcdef", nil, false), false},
		{"a purpose that forges the format", detail("csv", "y; format=json", []string{"0123456789abcdef"}, true), false},
	} {
		iv := &record.Interview{Audit: []record.AuditEvent{{Event: record.EventCompleted}, {Event: record.EventExported, Detail: tc.detail}}}
		if got := HandedOver(iv); got != tc.want {
			t.Errorf("%s: HandedOver = %v, want %v (%s)", tc.name, got, tc.want, tc.detail)
		}
	}
	if HandedOver(&record.Interview{}) {
		t.Error("an interview never exported was handed over")
	}
	for _, tc := range []struct {
		rep  Report
		want bool
	}{
		{Report{Format: "json", Encrypted: true, Recipients: []string{"0123456789abcdef"}}, true},
		{Report{Format: "json"}, false},
		{Report{Format: "csv", Encrypted: true, Recipients: []string{"0123456789abcdef"}}, false},
	} {
		if got := tc.rep.HandedOver(); got != tc.want {
			t.Errorf("%+v.HandedOver() = %v", tc.rep, got)
		}
	}
}
