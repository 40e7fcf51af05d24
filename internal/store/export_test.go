package store

import (
	"encoding/json"

	"golang.org/x/crypto/chacha20poly1305"
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
func (b *RecordBench) Seal(recKey []byte, iv *Interview, asJSON bool) ([]byte, int) {
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
func (b *RecordBench) Open(recKey, sealed []byte) (*Interview, error) {
	return b.r.interview(recKey, sealed)
}
