package cli

import (
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"fieldscreen/internal/bundle"
	"fieldscreen/internal/record"
)

// retention is a purge period: a whole number of days, weeks, months or
// years. It is counted back from now with time.AddDate (calendar months
// and years), never as a time.Duration, which overflows after 292 years:
// 106752d as a Duration is negative, and its cutoff lies in the future.
type retention struct {
	n    int
	unit string // "d", "w", "mo" or "y"
}

// retentionLimit is the longest period per unit: 100 years. Anything
// longer is surely a typo.
var retentionLimit = map[string]int{"d": 36525, "w": 5218, "mo": 1200, "y": 100}

func (r retention) String() string { return strconv.Itoa(r.n) + r.unit }

// cutoff is the moment before which an interview counts as older.
func (r retention) cutoff(now time.Time) time.Time {
	switch r.unit {
	case "w":
		return now.AddDate(0, 0, -7*r.n)
	case "mo":
		return now.AddDate(0, -r.n, 0)
	case "y":
		return now.AddDate(-r.n, 0, 0)
	}
	return now.AddDate(0, 0, -r.n)
}

// parseAge reads a retention period: 90d, 12w, 6mo, 2y. A bare "m" is
// refused (minutes or months?), and so are 0 and more than 100 years. The
// number is read as digits only and bounded before use: nothing overflows.
func parseAge(s string) (retention, error) {
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	digits, unit := strings.TrimLeft(s[:i], "0"), strings.ToLower(s[i:])
	limit, ok := retentionLimit[unit]
	switch {
	case i == 0:
		return retention{}, fmt.Errorf("%q is not a period such as 90d, 12w, 6mo or 2y (days, weeks, months, years)", s)
	case unit == "m":
		return retention{}, fmt.Errorf("%q is ambiguous: m could be minutes or months; write months as mo (6mo) or days as d (180d)", s)
	case !ok:
		return retention{}, fmt.Errorf("%q is not a period such as 90d, 12w, 6mo or 2y: the units are d, w, mo and y", s)
	case digits == "":
		return retention{}, fmt.Errorf("%q would erase every interview, even one saved a moment ago: give at least 1d", s)
	case len(digits) > 6:
		return retention{}, fmt.Errorf("%q is too long: the longest period is 100 years (100y or %d%s)", s, limit, unit)
	}
	n, _ := strconv.Atoi(digits) // at most 6 digits: no overflow
	if n > limit {
		return retention{}, fmt.Errorf("%q is too long: the longest period is 100 years (100y or %d%s)", s, limit, unit)
	}
	return retention{n: n, unit: unit}, nil
}

// purgeOptions is what the command was asked, with the app it runs in (its IO,
// store and settings).
type purgeOptions struct {
	*app
	older  string
	age    retention // --older-than, parsed
	status string
	yes    bool
	dryRun bool
	// --receipt: erase what a caseworker's signed receipt names, checked
	// against the keys in trust.
	receipt string
	trust   []string
}

func (a *app) purgeCmd(runF func(*purgeOptions) error) *cobra.Command {
	o := &purgeOptions{app: a}
	c := &cobra.Command{
		Use:   "purge --older-than PERIOD",
		Short: "Erase interviews older than a retention period",
		Long: `Erases the interviews not changed for longer than PERIOD: a whole number of
days (90d), weeks (12w), months (6mo) or years (2y), from 1 day to 100
years. --dry-run lists what would be erased and erases nothing.

--status exported erases only interviews handed over in a bundle encrypted
to a recipient; purge them once the caseworker has confirmed the import.

--receipt FILE erases exactly the interviews a caseworker's receipt names
('fieldscreen import --receipt FILE' on their computer), once its signature
checks against their public key (--trust CASEWORKER.pub): only for bundles
this store signed, and only if none of them changed since the export;
otherwise nothing is erased.`,
		Example: `  fieldscreen purge --receipt receipt.json --trust caseworker.pub
  fieldscreen purge --older-than 90d --status exported
  fieldscreen purge --older-than 6mo --dry-run
  fieldscreen purge --older-than 12w --yes`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if o.receipt != "" {
				if o.older != "" || o.status != "" {
					return usageErr(c, "--receipt erases what the receipt names: not with --older-than or --status")
				}
				if runF != nil {
					return runF(o)
				}
				return o.purgeReceipt(o.receipt, o.trust, o.yes, o.dryRun)
			}
			if len(o.trust) > 0 {
				return usageErr(c, "--trust goes with --receipt")
			}
			if o.older == "" {
				return usageErr(c, "--older-than is required (for example 90d), or --receipt FILE")
			}
			age, err := parseAge(o.older)
			if err != nil {
				return usageErr(c, err.Error())
			}
			o.age = age
			if err := checkEnums(c, "status"); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return runPurge(o)
		},
	}
	c.Flags().StringVar(&o.older, "older-than", "", "erase interviews not changed for this long: days, weeks, months or years (90d, 12w, 6mo, 2y)")
	statusVar(c, &o.status, "only interviews with this status")
	c.Flags().BoolVar(&o.yes, "yes", false, "do not ask for confirmation")
	c.Flags().BoolVar(&o.dryRun, "dry-run", false, "list the interviews that would be erased, and erase nothing")
	c.Flags().StringVar(&o.receipt, "receipt", "", "erase the interviews this signed receipt from the caseworker names")
	addTrustFlag(c, &o.trust, "receipts")
	return c
}

// runPurge runs the command with its options.
func runPurge(o *purgeOptions) error {
	a, age, status, yes, dryRun := o.app, o.age, o.status, o.yes, o.dryRun
	st, err := a.openStore(false)
	if err != nil {
		return err
	}
	entries, err := st.List(record.Status(status))
	if err != nil {
		return err
	}
	cut := age.cutoff(time.Now())
	var ids []string
	var old []record.Entry
	notReceived := 0
	for _, e := range entries {
		if !e.UpdatedAt.Before(cut) {
			continue
		}
		// 'exported' must mean handed over: an interview an
		// earlier version marked exported for a CSV file or a
		// plaintext bundle, which nobody named received, stays.
		if e.Status == record.StatusExported && status == string(record.StatusExported) {
			iv, err := st.Get(e.ID)
			if err != nil {
				return err
			}
			if !bundle.HandedOver(iv) {
				notReceived++
				continue
			}
		}
		ids = append(ids, e.ID)
		old = append(old, e)
	}
	if notReceived > 0 {
		fmt.Fprintf(a.io.Err, "fieldscreen: kept %d interview(s) marked exported that no bundle to a recipient holds (a CSV file or a --plaintext bundle): nobody is known to have received them\n", notReceived)
	}
	if len(ids) == 0 {
		fmt.Fprintln(a.io.Err, "Nothing to purge.")
		return nil
	}
	if dryRun {
		words := a.outcomeWords(st, "")
		tw := tabwriter.NewWriter(a.io.Out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSTATUS\tCREATED\tUPDATED\tOUTCOME")
		for _, e := range old {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", shortID(e.ID), e.Status, localTime(e.CreatedAt), localTime(e.UpdatedAt), words.label(e))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(a.io.Err, "Would erase %d interview(s) last changed before %s; nothing was erased (--dry-run).\n", len(ids), localTime(cut))
		return nil
	}
	if !yes {
		a.describeInterviews(st, ids)
		if err := a.confirm(fmt.Sprintf("Erase %d interview(s) last changed before %s?", len(ids), localTime(cut)), "--yes"); err != nil {
			return err
		}
	}
	if err := st.Delete(ids...); err != nil {
		return err
	}
	fmt.Fprintf(a.io.Err, "Erased %d interview(s).\n", len(ids))
	return nil
}
