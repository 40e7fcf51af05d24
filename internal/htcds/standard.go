// Package htcds writes screening interviews as rows of the Human
// Trafficking Case Data Standard 2.0 (IOM, Liberty Shared and Tech
// Against Trafficking; github.com/UNMigration/HTCDS), through a mapping
// in YAML that lives beside a flow (questionnaire/builtin/
// screening.htcds.yaml for the built-in one), and reports every HTCDS
// field it leaves empty or fills with less detail than the answer had.
//
// HTCDS is a list of fields and picklists with no wire format of its own;
// this package writes CSV with the standard's field names as column heads
// and its picklist values in the cells (several values of a multi-select
// joined with ";"). Rows carry a pseudonymous reference, never the
// interview's ID, a name or free text. The package writes to an
// io.Writer and prints nothing.
package htcds

import "strings"

// Field is one HTCDS 2.0 field this package knows: its name and, for a
// picklist, the values it allows.
type Field struct {
	Name string
	// Values of a picklist; nil for a field of another type.
	Values []string
	// Multi: a multi-select picklist.
	Multi bool
	// ISO3166: the values are ISO 3166-1 alpha-2 country codes.
	ISO3166 bool
}

// Standard is the part of HTCDS 2.0 a screening can speak to: the
// person, victim-context, consent and case fields of the standard's
// field list ("HTCDS Field Standards 2.0"), with their picklists as
// published. Every field is still marked draft in the standard.
var Standard = []Field{
	{Name: "prs_FirstName"},
	{Name: "prs_SecondName"},
	{Name: "prs_Birthdate"},
	{Name: "prs_Gender", Values: []string{"Feminine", "Masculine", "TransgenderFeminine", "TransgenderMasculine", "NonConforming", "NonSpecifiedUnknown"}},
	{Name: "prs_Citizenship", Multi: true, ISO3166: true},
	{Name: "vic_TraffickingStatus", Values: []string{"PossibleVictimOfTrafficking", "ActualVictimOfTrafficking", "NotAVictimOfTrafficking"}},
	{Name: "vic_AgeWhenTrafficked"},
	{Name: "vic_RelationshipToTrafficker", Values: []string{"Familial", "Acquainted", "Unacquainted"}},
	{Name: "vic_MethodOfRecruitment", Multi: true},
	{Name: "vic_MethodsOfControl", Multi: true, Values: []string{"PhysicalThreats", "ThreatsLawEnforcement", "ThreatensChildrenFamily",
		"DebtBondage", "FalsePromises", "PhysicalAbuse", "SexualAbuse", "TakesEarnings", "RestrictsFinancialAccess",
		"RestrictsMedicalCare", "WithholdsNecessities", "PsychologicalAbuse", "PsychoactiveSubstance", "ExcessiveWorkingHours",
		"WithholdsDocuments", "Other"}},
	{Name: "vic_TypeOfExploitation", Multi: true, Values: []string{"ForcedLabour", "SexualExploitation", "ChildLabour",
		"ForcedMarriage", "Servitude", "ForcedMilitaryByNonStateActors", "OrganRemoval", "ForcedBegging", "ForcedAdoption",
		"Surrogacy", "Other"}},
	{Name: "con_Consent"},
	{Name: "cas_ReferredOrganisation"},
	{Name: "cas_ReasonForOutgoingReferral", Values: []string{"AdditionalServicesRequired", "MigrationOrChangeOfLocation", "Other"}},
	{Name: "cas_OutgoingReferralDate"},
	{Name: "cas_OutgoingReferralDetails"},
}

// Lookup returns the standard's field of that name.
func Lookup(name string) (Field, bool) {
	for _, f := range Standard {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// Extension reports whether a column is an extension: HTCDS asks that
// data it has no field for be carried in clearly marked columns.
func Extension(name string) bool { return strings.HasPrefix(name, "x_") && len(name) > 2 }

// iso3166 holds the ISO 3166-1 alpha-2 codes.
var iso3166 = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range strings.Fields(`
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO
FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE
JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO
MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW
PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM
TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW`) {
		m[c] = true
	}
	return m
}()

// CountryCode returns s as an ISO 3166-1 alpha-2 code, if it is one
// (in either case, trimmed).
func CountryCode(s string) (string, bool) {
	c := strings.ToUpper(strings.TrimSpace(s))
	return c, iso3166[c]
}

// Allows reports whether the field takes value v.
func (f Field) Allows(v string) bool {
	if f.ISO3166 {
		return iso3166[v]
	}
	if f.Values == nil {
		return true
	}
	for _, x := range f.Values {
		if x == v {
			return true
		}
	}
	return false
}
