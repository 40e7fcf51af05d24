package store

import (
	"fmt"
	"time"

	"github.com/google/uuid"

	"fieldscreen/internal/record"
)

// normalize checks iv before it is sealed and brings it to canonical form:
// UTC times, canonical value types. It fills in a missing status and
// creation time. Errors name questions, never values.
func normalize(iv *record.Interview, now time.Time) error {
	if iv.ID == "" {
		return fmt.Errorf("interview has no id")
	}
	u, err := uuid.Parse(iv.ID)
	if err != nil {
		return fmt.Errorf("interview id %q is not a uuid", iv.ID)
	}
	iv.ID = u.String()
	if iv.Status == "" {
		iv.Status = record.StatusDraft
	}
	if !iv.Status.Valid() {
		return fmt.Errorf("interview %s has unknown status %q", iv.ID, iv.Status)
	}
	if iv.CreatedAt.IsZero() {
		iv.CreatedAt = now
	}
	if iv.UpdatedAt.IsZero() {
		iv.UpdatedAt = now
	}
	iv.CreatedAt = iv.CreatedAt.UTC()
	iv.UpdatedAt = iv.UpdatedAt.UTC()
	if iv.CompletedAt != nil {
		t := iv.CompletedAt.UTC()
		iv.CompletedAt = &t
	}
	if iv.Consent != nil {
		iv.Consent.At = iv.Consent.At.UTC()
	}
	seen := make(map[string]bool, len(iv.Answers))
	for i := range iv.Answers {
		a := &iv.Answers[i]
		if a.QuestionID == "" {
			return fmt.Errorf("interview %s has an answer without a question id", iv.ID)
		}
		if seen[a.QuestionID] {
			return fmt.Errorf("interview %s has two answers to question %q", iv.ID, a.QuestionID)
		}
		seen[a.QuestionID] = true
		v, err := record.NormalizeValue(a.Value)
		if err != nil {
			return fmt.Errorf("interview %s, question %q: %w", iv.ID, a.QuestionID, err)
		}
		a.Value = v
		a.AnsweredAt = a.AnsweredAt.UTC()
	}
	aside := make(map[string]bool, len(iv.SetAside))
	for i := range iv.SetAside {
		a := &iv.SetAside[i]
		if a.QuestionID == "" || aside[a.QuestionID] || seen[a.QuestionID] {
			return fmt.Errorf("interview %s has a set-aside answer without a question id, twice, or also answered", iv.ID)
		}
		aside[a.QuestionID] = true
		v, err := record.NormalizeValue(a.Value)
		if err != nil {
			return fmt.Errorf("interview %s, set-aside question %q: %w", iv.ID, a.QuestionID, err)
		}
		a.Value = v
		a.AnsweredAt = a.AnsweredAt.UTC()
	}
	if len(iv.SetAside) == 0 {
		iv.SetAside = nil
	}
	for i := range iv.Audit {
		iv.Audit[i].At = iv.Audit[i].At.UTC()
	}
	return checkText(iv)
}
