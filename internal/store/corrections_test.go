package store

import (
	"testing"
	"time"

	"fieldscreen/internal/record"
)

func TestCorrectionsAndHandovers(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	handover := record.AuditEvent{At: at, Event: record.EventExported, Detail: `format=json; purpose="legal aid; recipients=none"; recipients=161aa320ee9fadee; bundle_sha256=00; file_sha256=11`}
	plain := record.AuditEvent{At: at, Event: record.EventExported, Detail: `format=json; purpose="check"; recipients=none (plaintext); bundle_sha256=00`}
	csv := record.AuditEvent{At: at, Event: record.EventExported, Detail: `format=csv; purpose="stats"; recipients=161aa320ee9fadee; bundle_sha256=00`}
	amended := func(reason string) record.AuditEvent {
		return record.AuditEvent{At: at, Event: record.EventAmended, Interviewer: "E", Detail: reason}
	}
	for _, tc := range []struct {
		name        string
		audit       []record.AuditEvent
		afterExport []bool // of each correction
		since       bool
	}{
		{"never corrected", []record.AuditEvent{handover}, nil, false},
		{"corrected, never exported", []record.AuditEvent{amended("a")}, []bool{false}, false},
		{"corrected, then handed over", []record.AuditEvent{amended("a"), handover}, []bool{false}, false},
		{"handed over, then corrected", []record.AuditEvent{handover, amended("a")}, []bool{true}, true},
		{"handed over again", []record.AuditEvent{handover, amended("a"), handover}, []bool{true}, false},
		{"a plaintext bundle is no handover", []record.AuditEvent{plain, amended("a")}, []bool{false}, false},
		{"nor clears the mark", []record.AuditEvent{handover, amended("a"), plain, csv}, []bool{true}, true},
		{"twice", []record.AuditEvent{amended("a"), handover, amended("b")}, []bool{false, true}, true},
	} {
		iv := &record.Interview{Audit: tc.audit}
		cs := iv.Corrections()
		if len(cs) != len(tc.afterExport) {
			t.Errorf("%s: %d corrections, want %d", tc.name, len(cs), len(tc.afterExport))
			continue
		}
		for i, c := range cs {
			if c.AfterExport != tc.afterExport[i] || c.Reason == "" || c.Interviewer != "E" || !c.At.Equal(at) {
				t.Errorf("%s: correction %d = %+v", tc.name, i, c)
			}
		}
		if got := iv.AmendedSinceExport(); got != tc.since {
			t.Errorf("%s: AmendedSinceExport = %v, want %v", tc.name, got, tc.since)
		}
		if got := iv.Entry().AmendedSinceExport; got != tc.since {
			t.Errorf("%s: entry says %v", tc.name, got)
		}
	}
}
