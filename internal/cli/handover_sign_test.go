package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// party is one side of a handover: a store, its settings, its passphrase.
type party struct {
	t    *testing.T
	dir  string
	db   string
	pass string
}

func newParty(t *testing.T, name string) *party {
	dir := filepath.Join(t.TempDir(), name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	return &party{t: t, dir: dir, db: filepath.Join(dir, "interviews.db"), pass: name + " passphrase for tests"}
}

func (p *party) path(name string) string { return filepath.Join(p.dir, name) }

// run runs fieldscreen for this party, in its folder.
func (p *party) run(args ...string) (code int, stdout, stderr string) {
	p.t.Helper()
	var out, errb strings.Builder
	env := map[string]string{"FIELDSCREEN_DB": p.db, "FIELDSCREEN_PASSPHRASE": p.pass, "NO_COLOR": "1",
		"FIELDSCREEN_CONFIG": p.path("config.yaml")}
	io := &IO{In: strings.NewReader(""), Out: &out, Err: &errb, Getenv: func(k string) string { return env[k] }}
	code = Execute(context.Background(), "test", args, io)
	return code, out.String(), errb.String()
}

func (p *party) must(args ...string) (stdout, stderr string) {
	p.t.Helper()
	code, out, errs := p.run(args...)
	if code != 0 {
		p.t.Fatalf("fieldscreen %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
	}
	return out, errs
}

// refused runs a command that must fail with code, and checks that
// neither store changed.
func refused(t *testing.T, code int, want string, stores []*party, p *party, args ...string) {
	t.Helper()
	before := make([]string, len(stores))
	for i, s := range stores {
		before[i] = fileSum(t, s.db)
	}
	got, out, errs := p.run(args...)
	if got != code || !strings.Contains(errs, want) {
		t.Fatalf("fieldscreen %s: exit %d, want %d with %q\n%s%s", strings.Join(args, " "), got, code, want, out, errs)
	}
	for i, s := range stores {
		if after := fileSum(t, s.db); after != before[i] {
			t.Fatalf("fieldscreen %s changed the store %s", strings.Join(args, " "), s.db)
		}
	}
}

func fileSum(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return "none"
	}
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

const (
	handoverRecipient = "age1tym9m5nw32er7r75fah03h40t9kzuapkerdsa89plju64wxxafms2836se"
	handoverIdentity  = "AGE-SECRET-KEY-13D38XJYCTRE4RRNPTTWLNKJDTCCV4DJE37XZ35T22LNWGTVVRDKQK088EW\n"
)

// legalAnswers: a woman trafficked abroad, at risk of removal, who agrees
// to legal help only; her country of origin is a marker that no extract
// for legal aid may hold.
const legalAnswers = `interviewer: A. Officer
location: LOC-07
language: en
answers:
  consent: "yes"
  interview_private: "yes"
  immediate_danger: "no"
  urgent_medical_need: "no"
  age: 24
  may_be_child: "no"
  gender: female
  country_of_origin: MARKER-ORIGIN
  has_nationality: "yes"
  present_in: destination_country
  fled_conflict_or_violence: "no"
  ever_exploited: "yes"
  trafficking_act: [recruited, transported]
  trafficking_means: [deception]
  exploitation: [sexual_exploitation]
  exploitation_where: abroad
  under_18_at_start: "no"
  labour_indicators: [retention_of_documents]
  family_involved: "no"
  still_under_control: "no"
  identified_as_trafficking_victim: "no"
  fears_return: "yes"
  past_serious_harm: "no"
  feared_harm: [re_trafficking]
  feared_by: [traffickers]
  targeted_because: [being_a_woman_or_girl]
  state_protection: unable
  experienced_sgbv: "yes"
  sgbv_recent: "no"
  risk_factors: [no_documents]
  threat_in_host_country: "no"
  stigmatised_in_host: "no"
  trauma_affecting_recovery: "no"
  asylum_status: not_applied
  knows_right_to_asylum: "no"
  deportation_risk: "yes"
  involved_in_legal_proceedings: "no"
  fears_retaliation_if_reporting: "no"
  authorities_informed: "no"
  needs: [legal_aid, medical]
  interpreter_needed: "yes"
  preferred_language: MARKER-LANGUAGE
  can_read: "yes"
  wishes_to_return: "no"
  referral_consent: [asylum_and_legal]
`

var interviewIDRe = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}`)

// TestSignedHandover: export (signed), verify, import with a receipt,
// purge with the receipt; and every refusal leaves both stores as they
// were.
func TestSignedHandover(t *testing.T) {
	field, cw := newParty(t, "field"), newParty(t, "caseworker")
	writeFile(t, field.path("legal.yaml"), legalAnswers)
	writeFile(t, field.path("nc.yaml"), "answers:\n  consent: \"no\"\n")
	writeFile(t, cw.path("key.txt"), handoverIdentity)
	_, errs := field.must("interview", "--answers", field.path("legal.yaml"))
	legalID := interviewIDRe.FindString(errs)
	field.must("interview", "--answers", field.path("nc.yaml"))
	if legalID == "" {
		t.Fatalf("no interview ID in:\n%s", errs)
	}
	fieldPub, keyErr := field.must("key", "signing")
	writeFile(t, cw.path("field.pub"), fieldPub)
	// The key checks bundles and receipts alike: the words say both.
	if !strings.Contains(keyErr, "verify FILE --trust KEY.pub") || !strings.Contains(keyErr, "purge --receipt FILE --trust KEY.pub") {
		t.Fatalf("key signing does not say how its bundles and receipts are checked:\n%s", keyErr)
	}
	if again, _ := field.must("key", "signing"); again != fieldPub {
		t.Fatal("key signing printed another key the second time")
	}

	// Export: signed, the manifest inside and in the signature.
	bundle := field.path("handover.age")
	_, errs = field.must("export", "--all", "-o", bundle, "--purpose", "referral", "-r", handoverRecipient)
	if !strings.Contains(errs, "Signed by key ") || !strings.Contains(errs, "handover.age.minisig") {
		t.Fatalf("export does not say it signed:\n%s", errs)
	}
	if bin, err := exec.LookPath("minisign"); err == nil {
		if out, err := exec.Command(bin, "-Vm", bundle, "-p", cw.path("field.pub")).CombinedOutput(); err != nil ||
			!strings.Contains(string(out), "scope=full interviews=2") {
			t.Fatalf("minisign -V: %v\n%s", err, out)
		}
	}

	// Verify: without trust it says so and fails; with trust, all is shown.
	code, out, _ := cw.run("verify", bundle)
	if code != ExitError || !strings.Contains(out, "which you do not trust: NOT checked") {
		t.Fatalf("verify without trust: exit %d\n%s", code, out)
	}
	out, _ = cw.must("verify", bundle, "--trust", cw.path("field.pub"), "-i", cw.path("key.txt"))
	for _, want := range []string{"signature  good, by trusted key", "scope      full", "count      2 interview(s)", "valid (encrypted with age)"} {
		if !strings.Contains(out, want) {
			t.Errorf("verify does not say %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(cw.db); err == nil {
		t.Fatal("verify made a store")
	}

	// Refusals before any import: the caseworker has no store yet.
	stores := []*party{field, cw}
	refused(t, ExitError, "signed by a key you do not trust", stores, cw, "import", bundle, "-i", cw.path("key.txt"))
	other := newParty(t, "other")
	writeFile(t, other.path("nc.yaml"), "answers:\n  consent: \"no\"\n")
	other.must("interview", "--answers", other.path("nc.yaml"))
	otherPub, _ := other.must("key", "signing")
	writeFile(t, cw.path("other.pub"), otherPub)
	refused(t, ExitError, "signed by a key you do not trust", stores, cw, "import", bundle, "-i", cw.path("key.txt"), "--trust", cw.path("other.pub"))

	content, _ := os.ReadFile(bundle)
	sig, _ := os.ReadFile(bundle + ".minisig")
	restore := func() {
		writeFile(t, bundle, string(content))
		writeFile(t, bundle+".minisig", string(sig))
	}
	tampered := bytes.Clone(content)
	tampered[len(tampered)-20] ^= 1
	writeFile(t, bundle, string(tampered))
	refused(t, ExitInvalid, "the signature does not match the file", stores, cw, "import", bundle, "-i", cw.path("key.txt"), "--trust", cw.path("field.pub"))
	restore()
	writeFile(t, bundle+".minisig", strings.Replace(string(sig), "interviews=2", "interviews=1", 1))
	refused(t, ExitInvalid, "the signature does not match the file", stores, cw, "import", bundle, "-i", cw.path("key.txt"), "--trust", cw.path("field.pub"))
	restore()

	// Import with a receipt.
	receipt := cw.path("receipt.json")
	out, errs = cw.must("import", bundle, "-i", cw.path("key.txt"), "--trust", cw.path("field.pub"), "--receipt", receipt)
	if strings.Count(out, "added") != 2 || !strings.Contains(errs, "Receipt for bundle") {
		t.Fatalf("import:\n%s%s", out, errs)
	}
	show, _ := cw.must("show", legalID, "--format", "json")
	if !strings.Contains(show, "signature=trusted key") || !strings.Contains(show, "bundle_id=") {
		t.Errorf("the import's audit event does not record the signature:\n%s", show)
	}
	var rc struct {
		Interviews []struct {
			InterviewID string `json:"interview_id"`
		} `json:"interviews"`
	}
	if b, err := os.ReadFile(receipt); err != nil || json.Unmarshal(b, &rc) != nil || len(rc.Interviews) != 2 {
		t.Fatalf("receipt: %v\n%s", err, b)
	}
	cwPub, _ := cw.must("key", "signing")
	writeFile(t, field.path("caseworker.pub"), cwPub)

	// Replay: the same bundle again is refused, and changes nothing.
	refused(t, ExitError, "was imported into this store before: a replay", stores, cw, "import", bundle, "-i", cw.path("key.txt"), "--trust", cw.path("field.pub"))

	// Receipt refusals on the interviewer's side.
	writeFile(t, field.path("receipt.json"), mustRead(t, receipt))
	writeFile(t, field.path("receipt.json.minisig"), mustRead(t, receipt+".minisig"))
	fr := field.path("receipt.json")
	refused(t, ExitUsage, "needs the caseworker's public key", stores, field, "purge", "--receipt", fr, "--yes")
	refused(t, ExitError, "signed by a key you do not trust", stores, field, "purge", "--receipt", fr, "--trust", cw.path("other.pub"), "--yes")
	good := mustRead(t, fr)
	writeFile(t, fr, strings.Replace(good, rc.Interviews[0].InterviewID, rc.Interviews[1].InterviewID, 1))
	refused(t, ExitInvalid, "the signature does not match the file", stores, field, "purge", "--receipt", fr, "--trust", field.path("caseworker.pub"), "--yes")
	writeFile(t, fr, good)
	// A receipt for another store's bundle: the other store purges nothing.
	otherStores := []*party{other, cw}
	refused(t, ExitError, "not by this store", otherStores, other, "purge", "--receipt", fr, "--trust", field.path("caseworker.pub"), "--yes")
	// An interview corrected since the export: nothing is erased.
	writeFile(t, field.path("amended.yaml"), strings.Replace(legalAnswers, "age: 24", "age: 25", 1))
	field.must("amend", legalID, "--answers", field.path("amended.yaml"), "--reason", "age corrected")
	refused(t, ExitError, "changed since the export", stores, field, "purge", "--receipt", fr, "--trust", field.path("caseworker.pub"), "--yes")
	list, _ := field.must("list", "--format", "json")
	if strings.Count(list, `"interview_id"`) != 2 {
		t.Fatalf("a refused purge erased something:\n%s", list)
	}
}

// TestReceiptPurge: the plain round trip, export → import with receipt →
// purge with it, erases exactly the interviews that arrived.
func TestReceiptPurge(t *testing.T) {
	field, cw := newParty(t, "field"), newParty(t, "caseworker")
	writeFile(t, field.path("legal.yaml"), legalAnswers)
	writeFile(t, cw.path("key.txt"), handoverIdentity)
	field.must("interview", "--answers", field.path("legal.yaml"))
	field.must("interview", "--answers", field.path("legal.yaml"))
	pub, _ := field.must("key", "signing")
	writeFile(t, cw.path("field.pub"), pub)
	bundle := field.path("h.age")
	field.must("export", "--all", "-o", bundle, "--purpose", "handover", "-r", handoverRecipient)
	// Made after the export: not in the bundle, so never in a receipt.
	field.must("interview", "--answers", field.path("legal.yaml"))
	receipt := cw.path("r.json")
	cw.must("import", bundle, "-i", cw.path("key.txt"), "--trust", cw.path("field.pub"), "--receipt", receipt)
	cwPub, _ := cw.must("key", "signing")
	writeFile(t, field.path("cw.pub"), cwPub)
	out, _ := field.must("purge", "--receipt", receipt, "--trust", field.path("cw.pub"), "--dry-run")
	if strings.Count(out, "\n") != 2 {
		t.Fatalf("dry run lists:\n%s", out)
	}
	_, errs := field.must("purge", "--receipt", receipt, "--trust", field.path("cw.pub"), "--yes")
	if !strings.Contains(errs, "Erased 2 interview(s)") {
		t.Fatalf("purge:\n%s", errs)
	}
	list, _ := field.must("list", "--format", "json")
	if strings.Count(list, `"interview_id"`) != 1 {
		t.Fatalf("after the purge, want the one made after the export:\n%s", list)
	}
}

// TestReceiptPurgeAfterRotation: a receipt for a bundle signed before the
// interviewer's store replaced its signing key (key signing --rotate) is
// still for this store's own bundle and purges; a receipt for another
// store's bundle still purges nothing.
func TestReceiptPurgeAfterRotation(t *testing.T) {
	field, cw, other := newParty(t, "field"), newParty(t, "caseworker"), newParty(t, "other")
	writeFile(t, field.path("legal.yaml"), legalAnswers)
	writeFile(t, other.path("legal.yaml"), legalAnswers)
	writeFile(t, cw.path("key.txt"), handoverIdentity)
	field.must("interview", "--answers", field.path("legal.yaml"))
	other.must("interview", "--answers", other.path("legal.yaml"))
	pub, _ := field.must("key", "signing")
	writeFile(t, cw.path("field.pub"), pub)
	otherPub, _ := other.must("key", "signing")
	writeFile(t, cw.path("other.pub"), otherPub)
	field.must("export", "--all", "-o", field.path("h.age"), "--purpose", "handover", "-r", handoverRecipient)
	other.must("export", "--all", "-o", other.path("o.age"), "--purpose", "handover", "-r", handoverRecipient)
	cw.must("import", field.path("h.age"), "-i", cw.path("key.txt"), "--trust", cw.path("field.pub"), "--receipt", cw.path("r.json"))
	cw.must("import", other.path("o.age"), "-i", cw.path("key.txt"), "--trust", cw.path("other.pub"), "--receipt", cw.path("o.json"))
	cwPub, _ := cw.must("key", "signing")
	writeFile(t, field.path("cw.pub"), cwPub)

	newPub, _ := field.must("key", "signing", "--rotate")
	if newPub == pub {
		t.Fatal("key signing --rotate kept the key")
	}
	field.must("key", "signing", "--rotate") // twice: the first key is still known
	refused(t, ExitError, "not by this store", []*party{field, cw}, field,
		"purge", "--receipt", cw.path("o.json"), "--trust", field.path("cw.pub"), "--yes")
	_, errs := field.must("purge", "--receipt", cw.path("r.json"), "--trust", field.path("cw.pub"), "--yes")
	if !strings.Contains(errs, "Erased 1 interview(s)") {
		t.Fatalf("purge after rotation:\n%s", errs)
	}
}

// TestScoreFromChecksSigner: score --from and report --from read a bundle
// signed by a trusted key without a word; an unsigned one, or one signed
// by a key not trusted, with a warning that says how to check the sender;
// one changed after signing not at all.
func TestScoreFromChecksSigner(t *testing.T) {
	field, cw := newParty(t, "field"), newParty(t, "caseworker")
	writeFile(t, field.path("legal.yaml"), legalAnswers)
	field.must("interview", "--answers", field.path("legal.yaml"))
	pub, _ := field.must("key", "signing")
	writeFile(t, cw.path("field.pub"), pub)
	b := field.path("h.json")
	field.must("export", "--all", "-o", b, "--purpose", "handover", "--plaintext")
	for _, cmd := range [][]string{{"score", "--from", b, "--format", "jsonl"}, {"report", "--from", b, "--k", "1", "--internal"}} {
		name := cmd[0]
		_, errs := cw.must(append(cmd, "--trust", cw.path("field.pub"))...)
		if strings.Contains(errs, "warning") {
			t.Errorf("%s --from a trusted bundle warns:\n%s", name, errs)
		}
		_, errs = cw.must(cmd...)
		if !strings.Contains(errs, "signed by a key you do not trust") || !strings.Contains(errs, "--trust SENDER.pub") {
			t.Errorf("%s --from a bundle of a key not trusted:\n%s", name, errs)
		}
	}
	sig, err := os.ReadFile(b + ".minisig")
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(b + ".minisig")
	if _, errs := cw.must("score", "--from", b, "--format", "jsonl"); !strings.Contains(errs, "no h.json.minisig beside it") {
		t.Errorf("score --from an unsigned bundle:\n%s", errs)
	}
	// With --trust given, the warning asks for the signature file, not
	// for --trust again.
	for _, cmd := range [][]string{{"score", "--from", b, "--format", "jsonl"}, {"report", "--from", b, "--k", "1", "--internal"}} {
		_, errs := cw.must(append(cmd, "--trust", cw.path("field.pub"))...)
		if !strings.Contains(errs, "ask them for the signature file h.json.minisig") || strings.Contains(errs, "--trust SENDER.pub") {
			t.Errorf("%s --from an unsigned bundle with --trust:\n%s", cmd[0], errs)
		}
	}
	writeFile(t, b+".minisig", string(sig))
	data, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, b, strings.Replace(string(data), `"purpose": "handover"`, `"purpose": "handovex"`, 1))
	for _, cmd := range [][]string{{"score", "--from", b}, {"report", "--from", b}} {
		code, out, errs := cw.run(append(cmd, "--trust", cw.path("field.pub"))...)
		if code != ExitInvalid || out != "" || !strings.Contains(errs, "changed after it was signed") || !strings.Contains(errs, "nothing was read") {
			t.Errorf("%s --from a changed bundle: exit %d\n%s%s", cmd[0], code, out, errs)
		}
	}
}

// TestExtractExport: export --for writes a signed extract holding only the
// consented referrals and the answers they need; --without-consent is
// recorded in the audit trail.
func TestExtractExport(t *testing.T) {
	field := newParty(t, "field")
	writeFile(t, field.path("legal.yaml"), legalAnswers)
	_, errs := field.must("interview", "--answers", field.path("legal.yaml"))
	id := interviewIDRe.FindString(errs)
	pub, _ := field.must("key", "signing")
	writeFile(t, field.path("field.pub"), pub)

	legal := field.path("legal.json")
	_, errs = field.must("export", "--all", "--for", "asylum_and_legal", "-o", legal, "--purpose", "legal aid", "--plaintext")
	if !strings.Contains(errs, "Signed by key") {
		t.Fatalf("extract export:\n%s", errs)
	}
	b := mustRead(t, legal)
	for _, leak := range []string{"MARKER-ORIGIN", "sexual_exploitation", "re_trafficking", "Sexual exploitation"} {
		if strings.Contains(b, leak) {
			t.Errorf("the legal-aid extract holds %q", leak)
		}
	}
	for _, want := range []string{`"format": "fieldscreen-extract-1"`, "MARKER-LANGUAGE", `"scope":"asylum_and_legal"`, `"consent":"given"`} {
		if !strings.Contains(b, want) {
			t.Errorf("the extract lacks %s:\n%s", want, b)
		}
	}
	out, _ := field.must("verify", legal, "--trust", field.path("field.pub"))
	if !strings.Contains(out, "scope      asylum_and_legal") || !strings.Contains(out, "its manifest matches the signature") {
		t.Errorf("verify of an extract:\n%s", out)
	}

	// Health: not agreed to; refused without a reason, shared with one.
	code, _, errs := field.run("export", "--all", "--for", "health", "-o", field.path("health.json"), "--purpose", "medical", "--plaintext")
	if code != ExitError || !strings.Contains(errs, "the person did not agree") {
		t.Fatalf("extract without consent: exit %d\n%s", code, errs)
	}
	// Several interviews withheld: the words say each person did not agree.
	other := newParty(t, "other")
	writeFile(t, other.path("legal.yaml"), legalAnswers)
	other.must("interview", "--answers", other.path("legal.yaml"))
	other.must("interview", "--answers", other.path("legal.yaml"))
	code, _, errs = other.run("export", "--all", "--for", "health", "-o", other.path("health.json"), "--purpose", "medical", "--plaintext")
	if code != ExitError || !strings.Contains(errs, "in each of the 2 interviews, the person did not agree") {
		t.Fatalf("extract of two interviews without consent: exit %d\n%s", code, errs)
	}
	field.must("export", "--all", "--for", "health", "-o", field.path("health.json"), "--purpose", "medical", "--plaintext", "--without-consent", "life-threatening condition")
	show, _ := field.must("show", id, "--format", "json")
	if !strings.Contains(show, `without_consent=\"life-threatening condition\"`) || !strings.Contains(show, "for=health") {
		t.Errorf("the audit trail does not record the disclosure without consent:\n%s", show)
	}

	// show --for: the same extract, for a paper form.
	out, _ = field.must("show", id, "--for", "asylum_and_legal", "--format", "markdown")
	if !strings.Contains(out, "need-to-know extract") || strings.Contains(out, "MARKER-ORIGIN") {
		t.Errorf("show --for:\n%s", out)
	}
	// The compact Markdown handover: no audit trail unless asked.
	out, _ = field.must("show", id, "--format", "markdown")
	if strings.Contains(out, "Audit trail") {
		t.Errorf("markdown without --with-audit holds the audit trail")
	}
	out, _ = field.must("show", id, "--format", "markdown", "--with-audit")
	if !strings.Contains(out, "Audit trail") {
		t.Errorf("markdown --with-audit has no audit trail:\n%s", out)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
