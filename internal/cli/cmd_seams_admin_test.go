package cli

import (
	"slices"
	"strings"
	"testing"
)

// Seam tests for the key and config commands: see cmd_seams_test.go.

func TestKeySeams(t *testing.T) {
	a, _, _ := seamApp("")
	ro, err := parse(t, a.keyRemoveCmd, "3f2a", "--rotate")
	if err != nil || !slices.Equal(ro.args, []string{"3f2a"}) || !ro.rotateAfter {
		t.Fatalf("key remove options %+v, %v", ro, err)
	}
	if _, err := parse(t, a.keyRemoveCmd); err == nil {
		t.Fatal("key remove without a key: no error")
	}
	co, err := parse(t, a.keyChangeCmd, "--rotate")
	if err != nil || !co.rotateAfter {
		t.Fatalf("key change options %+v, %v", co, err)
	}
	rto, err := parse(t, a.keyRotateCmd, "--yes")
	if err != nil || !rto.yes {
		t.Fatalf("key rotate options %+v, %v", rto, err)
	}
	so, err := parse(t, a.keySigningCmd, "--rotate")
	if err != nil || !so.rotate {
		t.Fatalf("key signing options %+v, %v", so, err)
	}
	if _, err := parse(t, a.keyAddCmd); err != nil {
		t.Fatal(err)
	}
	if _, err := parse(t, a.keyListCmd, "extra"); err == nil {
		t.Fatal("key list with an argument: no error")
	}

	db, _ := seamStore(t, 1)
	a, _, errb := seamApp(db)
	getenv := a.io.Getenv
	a.io.Getenv = func(k string) string {
		if k == "FIELDSCREEN_NEW_PASSPHRASE" {
			return "a second seam passphrase"
		}
		return getenv(k)
	}
	if err := runKeyAdd(&keyAddOptions{app: a}); err != nil || !strings.HasPrefix(errb.String(), "Added key ") {
		t.Fatalf("key add: %v\n%s", err, errb)
	}
	a.forget()

	a, out, _ := seamApp(db)
	defer a.forget()
	if err := runKeyList(&keyListOptions{app: a}); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(out.String()), "\n"); len(lines) != 3 || !strings.HasPrefix(lines[0], "KEY") || strings.Count(out.String(), "this session") != 1 {
		t.Errorf("key list after key add (a heading and two keys, one in use):\n%s", out)
	}
	if err := runKeyRemove(&keyRemoveOptions{app: a, args: []string{"zz"}}); err == nil || !strings.Contains(err.Error(), `no key starts with "zz"`) {
		t.Errorf("key remove zz: %v", err)
	}
	out.Reset()
	if err := runKeySigning(&keySigningOptions{app: a}); err != nil || !strings.HasPrefix(out.String(), "untrusted comment: minisign public key ") {
		t.Errorf("key signing: %v\n%s", err, out)
	}
}

func TestConfigSeams(t *testing.T) {
	a, _, _ := seamApp("")
	so, err := parse(t, a.configSetCmd, "location", "LOC-01")
	if err != nil || !slices.Equal(so.args, []string{"location", "LOC-01"}) || so.cmd == nil {
		t.Fatalf("config set options %+v, %v", so, err)
	}
	if _, err := parse(t, a.configSetCmd, "location"); err == nil || exitCode(err) != ExitUsage {
		t.Fatalf("config set without a value: %v", err)
	}
	g, err := parse(t, a.configGetCmd, "location")
	if err != nil || !slices.Equal(g.args, []string{"location"}) {
		t.Fatalf("config get options %+v, %v", g, err)
	}
	u, err := parse(t, a.configUnsetCmd, "location")
	if err != nil || !slices.Equal(u.args, []string{"location"}) {
		t.Fatalf("config unset options %+v, %v", u, err)
	}
	if _, err := parse(t, a.configListCmd); err != nil {
		t.Fatal(err)
	}
	if _, err := parse(t, a.configPathCmd); err != nil {
		t.Fatal(err)
	}

	db := t.TempDir() + "/s.db"
	a, out, errb := seamApp(db)
	if err := runConfigPath(&configPathOptions{app: a}); err != nil || out.String() != db+".config.yaml\n" {
		t.Fatalf("config path: %v %q", err, out)
	}
	out.Reset()
	if err := runConfigList(&configListOptions{app: a}); err != nil || out.Len() != 0 || !strings.Contains(errb.String(), "No settings.") {
		t.Fatalf("config list with none: %v %q %q", err, out, errb)
	}
	if err := runConfigSet(&configSetOptions{app: a, cmd: seamCmd(), args: []string{"location", "LOC-01"}}); err != nil {
		t.Fatal(err)
	}
	if err := runConfigGet(&configGetOptions{app: a, cmd: seamCmd(), args: []string{"location"}}); err != nil || out.String() != "LOC-01\n" {
		t.Fatalf("config get location: %v %q", err, out)
	}
	out.Reset()
	if err := runConfigList(&configListOptions{app: a}); err != nil || out.String() != "location=LOC-01\n" {
		t.Fatalf("config list: %v %q", err, out)
	}
	if err := runConfigGet(&configGetOptions{app: a, cmd: seamCmd(), args: []string{"nope"}}); err == nil || exitCode(err) != ExitUsage {
		t.Errorf("config get nope: %v", err)
	}
	if err := runConfigUnset(&configUnsetOptions{app: a, cmd: seamCmd(), args: []string{"location"}}); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := runConfigGet(&configGetOptions{app: a, cmd: seamCmd(), args: []string{"location"}}); err != nil || out.Len() != 0 {
		t.Errorf("config get after unset: %v %q", err, out)
	}
}

// TestKeySigningHelpNamesBothUses: a caseworker reading 'key signing
// --help' learns what their own key is for (the field team's receipt
// check), not only what a field laptop's key is for.
func TestKeySigningHelpNamesBothUses(t *testing.T) {
	a, _, _ := seamApp("")
	c := a.keySigningCmd(nil)
	for _, want := range []string{"fieldscreen verify FILE --trust KEY.pub", "fieldscreen purge\n--receipt FILE --trust KEY.pub", "caseworker.pub"} {
		if !strings.Contains(c.Long+c.Example, want) {
			t.Errorf("key signing --help does not name %q:\n%s\n%s", want, c.Long, c.Example)
		}
	}
}
