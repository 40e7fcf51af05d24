package report_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"fieldscreen/internal/report"
)

func htmlReport(t *testing.T, internal bool) []byte {
	t.Helper()
	s := synthetic(t, 1500)
	k := report.DefaultK
	if internal {
		k = 1
	}
	r := buildExt(t, s.recs, report.Options{By: []string{"location"}, K: k})
	var b bytes.Buffer
	if err := report.WriteHTML(&b, r, report.Meta{Flows: []string{"trafficking-refugee-screening 2.0.0"}, Period: "2025-01 – 2025-04", Internal: internal}, "en"); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The page names nothing outside itself: no script, no link, no source,
// no url() in its style.
func TestHTMLSelfContained(t *testing.T) {
	page := string(htmlReport(t, false))
	for _, bad := range []string{"<script", "<link", " src=", " href=", "url(", "@import", "@font-face"} {
		if strings.Contains(page, bad) {
			t.Errorf("page has %q", bad)
		}
	}
	// The only address is SVG's namespace name, which is never fetched.
	for _, m := range regexp.MustCompile(`https?://[^"' ]+`).FindAllString(page, -1) {
		if m != "http://www.w3.org/2000/svg" {
			t.Errorf("page names %s", m)
		}
	}
	for _, id := range []string{"chart-outcome", "chart-priority", "chart-trend", "disclosure"} {
		if !strings.Contains(page, `id="`+id+`"`) {
			t.Errorf("no %s", id)
		}
	}
}

// An internal report says it must not leave the organisation above every
// table, and in a header print repeats on every page.
func TestHTMLInternalEveryPage(t *testing.T) {
	page := string(htmlReport(t, true))
	tables := strings.Count(page, "<table>")
	notes := strings.Count(page, "must not leave the organisation")
	if tables == 0 || notes < tables+2 {
		t.Errorf("%d tables, %d internal notices", tables, notes)
	}
	if !strings.Contains(page, `class="internal print-only"`) || !strings.Contains(page, "position: fixed") {
		t.Error("no header repeated on printed pages")
	}
}

// chromium finds the browser, or skips.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("FIELDSCREEN_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium found (install Debian's chromium, or set FIELDSCREEN_CHROMIUM): the HTML report is not checked in a browser")
	return ""
}

type box struct {
	ID, Fill   string
	X, Y, W, H float64
}

// TestHTMLInChromium opens the report in headless Chromium: the page
// loads without a single network request, and a screenshot shows each
// chart's bars, in their colour, where the page lays them out.
func TestHTMLInChromium(t *testing.T) {
	bin := chromium(t)
	if testing.Short() {
		t.Skip("starts a browser")
	}
	path := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(path, htmlReport(t, false), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 900),
	)
	defer acancel()
	var mu sync.Mutex
	var requests []string
	bctx, bcancel := chromedp.NewContext(actx, chromedp.WithListener(func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requests = append(requests, e.Request.URL)
			mu.Unlock()
		}
	}))
	defer bcancel()
	if err := chromedp.Do(bctx, chromedp.Navigate("file://"+path), chromedp.WaitReady("#chart-trend")); err != nil {
		t.Fatal(err)
	}
	boxes, err := chromedp.Run(bctx, chromedp.Evaluate[[]box](`Array.from(document.querySelectorAll("svg rect.bar")).map(r => {
		const b = r.getBoundingClientRect();
		return {ID: r.ownerSVGElement.id, Fill: r.getAttribute("fill"), X: b.x + window.scrollX, Y: b.y + window.scrollY, W: b.width, H: b.height};
	})`))
	if err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	for _, u := range requests {
		if !strings.HasPrefix(u, "file:") && !strings.HasPrefix(u, "data:") {
			t.Errorf("the page made a network request: %s", u)
		}
	}
	mu.Unlock()
	drawn := map[string]int{}
	for _, b := range boxes {
		if b.W < 3 || b.H < 3 {
			continue // a zero or suppressed bar
		}
		want, err := parseHex(b.Fill)
		if err != nil {
			t.Fatal(err)
		}
		// The bar's middle, and a few points around it, are its colour.
		cx, cy := b.X+b.W/2, b.Y+b.H/2
		hits := 0
		for _, p := range [][2]float64{{cx, cy}, {b.X + 1.5, cy}, {b.X + b.W - 1.5, cy}, {cx, b.Y + 1.5}, {cx, b.Y + b.H - 1.5}} {
			if near(img.At(int(p[0]), int(p[1])), want) {
				hits++
			}
		}
		if hits < 4 {
			t.Errorf("%s: bar at %.0f,%.0f %.0fx%.0f is not drawn in %s on the screenshot (%d of 5 points)", b.ID, b.X, b.Y, b.W, b.H, b.Fill, hits)
			continue
		}
		drawn[b.ID]++
	}
	for _, id := range []string{"chart-outcome", "chart-priority", "chart-trend"} {
		if drawn[id] == 0 {
			t.Errorf("%s: no bar drawn (%d boxes in all)", id, len(boxes))
		}
	}
	// A region beside the charts is blank, so the check above is not
	// passing on a page painted all over.
	if bounds := img.Bounds(); bounds.Dx() > 1100 {
		if near(img.At(bounds.Max.X-5, 5), [3]uint8{0x11, 0x11, 0x11}) {
			t.Error("the page's top right corner is not blank")
		}
	}
	if t.Failed() || os.Getenv("FIELDSCREEN_KEEP_SCREENSHOT") != "" {
		dump := filepath.Join(os.TempDir(), "fieldscreen-report-screenshot.png")
		os.WriteFile(dump, shot, 0o600)
		t.Logf("screenshot kept at %s", dump)
	}
}

func parseHex(s string) ([3]uint8, error) {
	var c [3]uint8
	if len(s) != 7 || s[0] != '#' {
		return c, fmt.Errorf("colour %q", s)
	}
	for i := range 3 {
		v, err := strconv.ParseUint(s[1+2*i:3+2*i], 16, 8)
		if err != nil {
			return c, err
		}
		c[i] = uint8(v)
	}
	return c, nil
}

func near(c interface{ RGBA() (r, g, b, a uint32) }, want [3]uint8) bool {
	r, g, b, _ := c.RGBA()
	d := func(x uint32, y uint8) int { return abs(int(x>>8) - int(y)) }
	return d(r, want[0]) <= 24 && d(g, want[1]) <= 24 && d(b, want[2]) <= 24
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
