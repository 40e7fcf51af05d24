package store

import (
	"crypto/cipher"
	"encoding/json"

	"fieldscreen/internal/record"
)

func (s *Store) decodeInterview(key, sealed []byte) (*record.Interview, error) {
	return s.reader().interview(key, sealed)
}

func (d *binDecoder) decodeInterview(pt []byte) (*record.Interview, error) {
	if len(pt) > 0 && pt[0] == binInterviewV1 {
		body, err := binBody(pt, binInterviewV1)
		if err != nil {
			return nil, err
		}
		return d.interview(body)
	}
	return decodeJSON(pt)
}

// decodeJSON decodes the JSON plaintext of an interview record.
func decodeJSON(pt []byte) (*record.Interview, error) {
	iv := new(record.Interview)
	if err := json.Unmarshal(pt, iv); err != nil {
		return nil, safeDecodeError(err)
	}
	return iv, nil
}

func (s *Store) decodeEntry(key, sealed []byte) (*record.Entry, error) {
	e := new(record.Entry)
	if err := s.reader().entry(key, sealed, e); err != nil {
		return nil, err
	}
	return e, nil
}

func (d *binDecoder) decodeEntry(pt []byte, e *record.Entry) error {
	if len(pt) > 0 && pt[0] == binEntryV1 {
		body, err := binBody(pt, binEntryV1)
		if err != nil {
			return err
		}
		return d.entry(body, e)
	}
	*e = record.Entry{}
	if err := json.Unmarshal(pt, e); err != nil {
		return safeDecodeError(err)
	}
	return nil
}

// recReader decrypts and decodes records, reusing its buffers from one
// record to the next: one per goroutine.
type recReader struct {
	aead   cipher.AEAD
	pt, ad []byte
	dec    binDecoder
}

func (s *Store) reader() *recReader { return &recReader{aead: s.k.aead} }

func (r *recReader) open(bucket, key, sealed []byte) ([]byte, error) {
	pt, err := openInto(r.aead, r.pt, &r.ad, bucket, key, sealed)
	if err != nil {
		return nil, err
	}
	r.pt = pt[:0]
	return pt, nil
}

func (r *recReader) interview(key, sealed []byte) (*record.Interview, error) {
	pt, err := r.open(bucketInterviews, key, sealed)
	if err != nil {
		return nil, err
	}
	defer clear(pt) // decoded strings are copies
	return r.dec.decodeInterview(pt)
}

func (r *recReader) entry(key, sealed []byte, e *record.Entry) error {
	pt, err := r.open(bucketIndex, key, sealed)
	if err != nil {
		return err
	}
	defer clear(pt)
	return r.dec.decodeEntry(pt, e)
}
