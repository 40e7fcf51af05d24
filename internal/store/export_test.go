package store

import (
	"encoding/json"

	"go.etcd.io/bbolt"
	"golang.org/x/crypto/chacha20poly1305"

	"fieldscreen/internal/record"
)

// RecordBench exposes the record read path to the external benchmarks,
// which use internal/synth (and synth imports this package).
type RecordBench struct{ r *recReader }

func NewRecordBench(key []byte) *RecordBench {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		panic(err)
	}
	return &RecordBench{r: &recReader{aead: aead}}
}

// Seal seals iv as stored now (binary) or as earlier versions stored it (JSON).
func (b *RecordBench) Seal(recKey []byte, iv *record.Interview, asJSON bool) ([]byte, int) {
	var pt []byte
	var err error
	if asJSON {
		pt, err = json.Marshal(iv)
		pt = pad(pt, padInterview)
	} else {
		pt, err = encodeInterviewBinary(iv)
	}
	if err != nil {
		panic(err)
	}
	sealed, err := sealWith(b.r.aead, bucketInterviews, recKey, pt)
	if err != nil {
		panic(err)
	}
	return sealed, len(pt)
}

// Open decrypts and decodes one interview record.
func (b *RecordBench) Open(recKey, sealed []byte) (*record.Interview, error) {
	return b.r.interview(recKey, sealed)
}

// RecordSizes returns, by interview ID, the sizes of its sealed record
// and index entry as stored, and of its plaintext before padding.
func RecordSizes(s *Store, ids []string) (map[string][3]int, error) {
	out := make(map[string][3]int, len(ids))
	err := s.view(func(h *handle, tx *bbolt.Tx) error {
		for _, id := range ids {
			key := s.k.recKey("interview", id)
			rec, entry := tx.Bucket(bucketInterviews).Get(key), tx.Bucket(bucketIndex).Get(key)
			iv, err := s.decodeInterview(key, rec)
			if err != nil {
				return err
			}
			pt, err := encodeInterviewBinary(iv)
			if err != nil {
				return err
			}
			body, _ := binBody(pt, binInterviewV1)
			out[id] = [3]int{len(rec), len(entry), len(body) + 3 + recordOverhead}
		}
		return nil
	})
	return out, err
}

func InterviewClass(n int) int { return interviewClasses.fit(n) }
func EntryClass(n int) int     { return entryClasses.fit(n) }
