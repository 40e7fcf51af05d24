package questionnaire

// Answers maps a question ID to its answer. A value is one of:
//
//   - string: "yes"/"no", a choice value, free text, or Declined/DontKnow;
//   - int: an integer answer;
//   - []string: the choice values of a multi answer;
//   - nil: the question was shown and left unanswered.
//
// A question absent from the map was not asked (or not reached).
type Answers map[string]any

// IsReal reports whether v "has a real value": answered, and not none,
// declined or dont_know. A list is real when it holds a value other than none.
func IsReal(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case string:
		return isRealString(x)
	case []string:
		for _, s := range x {
			if isRealString(s) {
				return true
			}
		}
		return false
	case []any:
		for _, s := range x {
			if IsReal(s) {
				return true
			}
		}
		return false
	default:
		return true
	}
}

func isRealString(s string) bool {
	return s != "" && s != None && s != NoneIdentified && s != Declined && s != DontKnow
}

// IsGap reports whether an asked question's answer leaves an information
// gap: unanswered, declined or dont_know.
func IsGap(v any) bool {
	if v == nil {
		return true
	}
	if s, ok := v.(string); ok {
		return s == Declined || s == DontKnow
	}
	return false
}

// Clone returns a copy of the answers that shares no slices with a.
func (a Answers) Clone() Answers {
	c := make(Answers, len(a))
	for k, v := range a {
		if l, ok := v.([]string); ok {
			v = append([]string(nil), l...)
		}
		c[k] = v
	}
	return c
}
