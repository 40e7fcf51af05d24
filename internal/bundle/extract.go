package bundle

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"fieldscreen/internal/record"
	"fieldscreen/internal/render"
	"fieldscreen/internal/sign"
	"fieldscreen/internal/store"
	"fieldscreen/questionnaire"
)

// ExtractFormat names the layout of an extract (schema/extract.schema.json).
const ExtractFormat = "fieldscreen-extract-1"

// ExtractOptions of one extract: a need-to-know handover for one service
// (render.BuildExtract), written, encrypted and signed as a bundle is.
type ExtractOptions struct {
	Options
	// Service is the referral service the extract is for.
	Service string
	// WithoutConsent, when not empty, includes the service's referrals the
	// person did not agree to; the reason goes into the extract and into
	// the audit trail of each interview it was used for.
	WithoutConsent string
}

// ExportExtract writes the extract of the selected interviews for
// opt.Service to opt.Path (or opt.Out), as Export writes a bundle: whole
// or not at all, encrypted to the recipients, read back. An interview
// with no referral to include is left out and counted (Report.Withheld).
// Like Export it changes nothing in the store: MarkExported records the
// disclosure (an extract hands nothing over: no status changes).
func ExportExtract(ctx context.Context, src Source, sel Selection, opt ExtractOptions) (*Report, error) {
	if opt.Format == "" {
		opt.Format = "json"
	}
	if opt.Format != "json" {
		return nil, fmt.Errorf("%w: an extract is JSON", ErrOptions)
	}
	if opt.SkipDamaged {
		return nil, fmt.Errorf("%w: an extract cannot skip damaged records; export them in a full bundle", ErrOptions)
	}
	if err := opt.check(); err != nil {
		return nil, err
	}
	opt.Format = formatExtract
	if err := opt.targetFree(); err != nil {
		return nil, err
	}
	want, status := sel.named()
	rep := &Report{
		Path: opt.Path, Format: formatExtract, Encrypted: len(opt.Recipients) > 0, Armored: opt.Armor,
		ExportedAt: now(), Purpose: opt.Purpose, Interviewer: opt.Interviewer, Service: opt.Service,
		WithoutConsent: opt.WithoutConsent, withoutConsent: map[string]bool{}, exported: map[string]snapshot{},
	}
	for _, r := range opt.Recipients {
		rep.Recipients = append(rep.Recipients, r.Fingerprint())
	}
	flows := map[string]*questionnaire.Flow{}
	named := 0
	body := func(w io.Writer) error {
		var b bytes.Buffer
		b.WriteString("{\n")
		field := func(k string, v any) {
			vb, _ := json.Marshal(v) // plain values: never fails
			fmt.Fprintf(&b, "%q: %s,\n", k, vb)
		}
		field("format", ExtractFormat)
		field("generator", opt.Generator)
		field("exported_at", rep.ExportedAt)
		field("interviewer", opt.Interviewer)
		field("purpose", opt.Purpose)
		field("service", opt.Service)
		if opt.WithoutConsent != "" {
			field("without_consent", opt.WithoutConsent)
		}
		b.WriteString("\"interviews\": [")
		if _, err := w.Write(b.Bytes()); err != nil {
			return err
		}
		n := 0
		err := src.Each(ctx, status, func(iv *record.Interview) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			if len(want) > 0 && !want[iv.ID] {
				return nil
			}
			named++
			if sel.SkipDrafts && len(want) == 0 && iv.Status == record.StatusDraft {
				rep.Drafts++
				return nil
			}
			f := flows[iv.FlowHash]
			if f == nil {
				var err error
				if f, err = loadFlow(src, iv.FlowHash); err != nil {
					return err
				}
				flows[iv.FlowHash] = f
			}
			ans := questionnaire.Answers(iv.AnswersMap())
			sum, err := f.Score(ans)
			if err != nil {
				return fmt.Errorf("interview %s: %w", shortID(iv.ID), err)
			}
			sum.InterviewID, sum.Status = iv.ID, string(iv.Status)
			ex, withheld, err := render.BuildExtract(f, sum, render.ExtractInput{
				InterviewID: iv.ID, Location: iv.Location, Language: iv.Language,
				CreatedAt: iv.CreatedAt, CompletedAt: iv.CompletedAt, Answers: ans,
			}, opt.Service, render.ExtractOptions{WithoutConsent: opt.WithoutConsent})
			if err != nil {
				return fmt.Errorf("interview %s: %w", shortID(iv.ID), err)
			}
			rep.WithheldReferrals += withheld.Referrals
			if ex == nil {
				if withheld.Referrals > 0 {
					rep.WithheldInterviews++
				}
				return nil
			}
			line, err := json.Marshal(ex)
			if err != nil {
				return err
			}
			sep := "\n"
			if n > 0 {
				sep = ",\n"
			}
			if _, err := io.WriteString(w, sep); err != nil {
				return err
			}
			if _, err := w.Write(line); err != nil {
				return err
			}
			n++
			rep.IDs = append(rep.IDs, iv.ID)
			rep.exported[iv.ID] = snapshotOf(iv)
			if ex.WithoutConsent != "" {
				rep.withoutConsent[iv.ID] = true
			}
			return nil
		})
		if err != nil {
			return err
		}
		if n == 0 {
			return errNoExtract
		}
		b.Reset()
		b.WriteString("\n],\n")
		withheld, _ := json.Marshal(map[string]int{"interviews": rep.WithheldInterviews, "referrals": rep.WithheldReferrals})
		fmt.Fprintf(&b, "%q: %s", "withheld", withheld)
		if opt.Manifest != nil {
			m, err := opt.Manifest(n)
			if err != nil {
				return err
			}
			rep.Manifest = m
			mb, _ := json.Marshal(m)
			fmt.Fprintf(&b, ",\n%q: %s", "manifest", mb)
		}
		b.WriteString("\n}\n")
		_, err = w.Write(b.Bytes())
		return err
	}
	var err error
	if opt.Out != nil {
		err = writeStream(opt.Options, rep, body, nil)
	} else {
		err = writeAtomic(opt.Options, rep, body, nil)
	}
	if errors.Is(err, errNoExtract) {
		switch {
		case len(want) > 0 && named < len(want):
			return nil, fmt.Errorf("%w: %d of the %d interviews named are not in the store", store.ErrNoInterview, len(want)-named, len(want))
		case rep.WithheldInterviews > 0:
			return rep, ErrAllWithheld
		}
		return rep, ErrNothing
	}
	if err != nil {
		return nil, err
	}
	if len(want) > 0 && named < len(want) {
		os.Remove(opt.Path)
		return nil, fmt.Errorf("%w: %d of the %d interviews named are not in the store", store.ErrNoInterview, len(want)-named, len(want))
	}
	if opt.Out != nil {
		return rep, nil
	}
	if err := verify(rep); err != nil {
		os.Remove(opt.Path)
		return nil, fmt.Errorf("the extract did not read back as written, so it was removed: %w", err)
	}
	rep.Verified = true
	return rep, nil
}

// formatExtract is an extract's Report.Format and audit detail format.
const formatExtract = "extract"

// ErrAllWithheld: every selected interview's referrals to the service
// lack the person's agreement, so there is nothing to write.
var ErrAllWithheld = errors.New("nothing to share: the person did not agree to any of the referrals to this service")

var errNoExtract = errors.New("no extract")

// ContentHash is the SHA-256 (hex) of what makes an interview the same
// interview (contentKey): a receipt names each interview received by it,
// and the sender erases only what still has it.
func ContentHash(iv *record.Interview) string {
	return sha256Hex(contentKey(iv))
}

// ReadExtractManifest reads the manifest an extract carries (a plaintext
// one, or an encrypted one through the identities); nil if it has none.
func ReadExtractManifest(r io.Reader) (*sign.Manifest, error) {
	var doc struct {
		Format   string         `json:"format"`
		Manifest *sign.Manifest `json:"manifest"`
	}
	dec := json.NewDecoder(io.LimitReader(r, 1<<30))
	if err := dec.Decode(&doc); err != nil || doc.Format != ExtractFormat {
		return nil, invalidf("not a fieldscreen extract")
	}
	return doc.Manifest, nil
}
