package render

// ShortID is the last 8 characters of an interview ID. A UUIDv7 starts
// with its creation time, so interviews made the same minute share a
// prefix; the tail is random and tells them apart.
func ShortID(id string) string {
	if len(id) > 8 {
		return id[len(id)-8:]
	}
	return id
}
