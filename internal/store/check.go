package store

import (
	"bytes"
	"crypto/hmac"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"go.etcd.io/bbolt"
)

// Problem is one thing wrong with a store file. Where names a part of the
// file or a record by its random ID; neither field ever holds an answer or a
// name.
type Problem struct {
	Where string `json:"where"`
	What  string `json:"what"`
	// Compact: nothing is damaged; 'fieldscreen compact' (Store.Compact)
	// does what is left to do (an erasure or a compaction a killed
	// process did not finish, a format to migrate).
	Compact bool `json:"-"`
}

func (p Problem) String() string { return p.Where + ": " + p.What }

// maxStructureProblems caps what bbolt's page check may report: a badly
// damaged file yields one complaint per page.
const maxStructureProblems = 50

// Check verifies the whole store: the bbolt page structure (tx.Check), the
// layout, every key slot, and that every record decrypts, parses and
// agrees with its index entry. No problems means a nil slice.
func (s *Store) Check() []Problem {
	if err := s.begin(); err != nil {
		return []Problem{{Where: "store", What: err.Error()}}
	}
	defer s.end()
	return checkFile(s.path, s)
}

// CheckFile checks the store at path even if it does not open. With the
// right passphrase every record is checked; otherwise only the file's
// structure and key slots.
func CheckFile(path string, passphrase []byte) []Problem {
	path, err := resolvePath(path)
	if err != nil {
		return []Problem{{Where: "file", What: err.Error()}}
	}
	s, err := open(path, passphrase, false) // Check only reads
	if err == nil {
		defer s.Close()
		return s.Check()
	}
	ps := checkFile(path, nil)
	if errors.Is(err, ErrWrongPassphrase) {
		return append(ps, Problem{Where: "key slots", What: "wrong passphrase, so the records were not checked"})
	}
	if len(ps) == 0 {
		ps = append(ps, Problem{Where: "store", What: err.Error()})
	}
	return ps
}

type checker struct {
	s  *Store
	ps []Problem
}

func (c *checker) add(where, format string, args ...any) {
	c.ps = append(c.ps, Problem{Where: where, What: fmt.Sprintf(format, args...)})
}

// todo adds a Problem that 'fieldscreen compact' resolves.
func (c *checker) todo(where, format string, args ...any) {
	c.ps = append(c.ps, Problem{Where: where, What: fmt.Sprintf(format, args...), Compact: true})
}

func detail(err error) error {
	var ce *CorruptError
	if errors.As(err, &ce) {
		return ce.Detail
	}
	return err
}

// checkFile reads the file only. Without a store (keys), records are not
// decrypted.
func checkFile(path string, s *Store) []Problem {
	c := &checker{s: s}
	hdr, err := validateHeader(path)
	if err != nil {
		c.add("file", "%v", detail(err))
		return c.ps
	}
	for i, err := range hdr.metaErr {
		if err != nil {
			c.add(fmt.Sprintf("meta page %d", i), "unusable (%v); the other copy is in use", err)
		}
	}
	h, err := openBolt(path, true)
	if err != nil {
		c.add("file", "%v", detail(err))
		return c.ps
	}
	err = h.view(func(tx *bbolt.Tx) error {
		n := 0
		if hdr.metaErr[0] != nil || hdr.metaErr[1] != nil {
			// bbolt's page check stops at once on a damaged meta page,
			// reporting it as a panic; the meta page is reported above.
			c.add("file structure", "not checked page by page while a meta page is damaged; the records are checked below")
		} else {
			for err := range tx.Check() {
				if n < maxStructureProblems {
					c.add("file structure", "%s", structureProblem(err))
				}
				n++
			}
		}
		if n > maxStructureProblems {
			c.add("file structure", "%d more problems", n-maxStructureProblems)
		}
		if err := checkLayout(tx, path); err != nil {
			c.add("layout", "%v", detail(err))
			return nil
		}
		if eraseMarked(tx) {
			c.todo("free pages", "an erasure was interrupted: what was last deleted may still be in the file's free pages; 'fieldscreen compact' overwrites them")
		}
		slots, bad, err := readSlots(tx, path)
		if err != nil {
			return err
		}
		for _, b := range bad {
			c.add("key slots", "%s", b)
		}
		if len(slots) == 0 {
			c.add("key slots", "no usable key slot: the store cannot be unlocked")
		}
		if s != nil {
			return c.records(tx, slots)
		}
		return nil
	})
	if cerr := h.close(); err == nil {
		err = cerr
	}
	if err != nil {
		c.add("file", "%v", detail(err))
	}
	for _, name := range leftoverCopies(path) {
		c.todo("leftover copy", "%s is a copy of the store an interrupted compaction left; it may hold what was deleted since. 'fieldscreen compact' erases it", name)
	}
	return c.ps
}

func (c *checker) records(tx *bbolt.Tx, slots []*slot) error {
	s := c.s
	if err := s.checkKey(tx); err != nil {
		c.add("key", "%v", err)
		return nil
	}
	c.digest(tx)
	info := tx.Bucket(bucketSlotInfo)
	known := make(map[string]bool, len(slots))
	for _, sl := range slots {
		known[string(sl.id)] = true
	}
	err := info.ForEach(func(k, v []byte) error {
		where := fmt.Sprintf("key slot %x", k)
		if !known[string(k)] {
			c.add(where, "label record without a key slot")
		}
		pt, err := openWith(s.k.aead, bucketSlotInfo, k, v)
		if err != nil {
			c.add(where, "%v", err)
			return nil
		}
		var si slotInfo
		if err := json.Unmarshal(pt, &si); err != nil {
			c.add(where, "%v", safeDecodeError(err))
		}
		return nil
	})
	if err != nil {
		return err
	}

	index := make(map[string][]byte)
	err = tx.Bucket(bucketIndex).ForEach(func(k, v []byte) error {
		where := fmt.Sprintf("index record %x", k)
		e, err := s.decodeEntry(k, v)
		if err != nil {
			c.add(where, "%v", err)
			return nil
		}
		if !bytes.Equal(k, s.k.recKey("interview", e.ID)) {
			c.add(where, "is filed under the wrong key")
			return nil
		}
		js, _ := json.Marshal(e)
		index[string(k)] = js
		return nil
	})
	if err != nil {
		return err
	}

	err = tx.Bucket(bucketInterviews).ForEach(func(k, v []byte) error {
		where := fmt.Sprintf("interview record %x", k)
		e, indexed := index[string(k)]
		delete(index, string(k))
		iv, err := s.decodeInterview(k, v)
		if err != nil {
			c.add(where, "%v", err)
			return nil
		}
		if !bytes.Equal(k, s.k.recKey("interview", iv.ID)) {
			c.add(where, "is filed under the wrong key")
			return nil
		}
		where = "interview " + iv.ID
		if err := normalize(iv, iv.UpdatedAt); err != nil {
			c.add(where, "%v", err)
		}
		if !indexed {
			c.add(where, "has no index entry, so it is not listed")
			return nil
		}
		if js, _ := json.Marshal(iv.Entry()); !bytes.Equal(js, e) {
			c.add(where, "index entry is out of date")
		}
		return nil
	})
	if err != nil {
		return err
	}
	for k := range index {
		c.add("index record "+hex.EncodeToString([]byte(k)), "names an interview that is missing")
	}

	return tx.Bucket(bucketFlows).ForEach(func(k, v []byte) error {
		if _, err := openWith(s.k.aead, bucketFlows, k, v); err != nil {
			c.add(fmt.Sprintf("flow record %x", k), "%v", err)
		}
		return nil
	})
}

// structureProblem words a bbolt page check finding for a person: bbolt
// reports a failed internal assertion as "panic: assertion failed: ...".
func structureProblem(err error) string {
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "panic: "); ok {
		rest = strings.TrimPrefix(rest, "assertion failed: ")
		return "the page check stopped early: " + rest
	}
	return msg
}

// digest compares the records with the store's digest (see digest.go).
func (c *checker) digest(tx *bbolt.Tx) {
	s := c.s
	if bytes.Equal(tx.Bucket(bucketMeta).Get(metaFormatKey), formatV1) {
		c.todo("digest", "an earlier fieldscreen wrote this store without a digest of its records, so a record put back from an older copy would go unnoticed; 'fieldscreen compact' (or any change) adds one")
		return
	}
	stored, err := s.storedDigest(tx)
	if err != nil {
		c.add("digest", "%v", detail(err))
		return
	}
	now, err := s.k.computeDigest(tx)
	if err != nil {
		c.add("digest", "%v", err)
		return
	}
	if !hmac.Equal(stored.sum[:], now.sum[:]) {
		c.add("digest", "the records do not match the store's digest: a record was put back from an older copy of the store, or records were added or removed outside fieldscreen")
	}
}
