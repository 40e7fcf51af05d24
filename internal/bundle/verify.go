package bundle

import (
	"context"

	"filippo.io/age"
)

// VerifyReport is what Verify found in a bundle.
type VerifyReport struct {
	File   string
	Kind   Kind
	Header Header // without its flows' sources
	// Flows are the bundle's flows, each with how this computer knows it
	// (built in, accepted, or not: TrustUnknown).
	Flows      []FlowInfo
	Interviews int
	// Rescored counts the interviews whose answers were checked against
	// their flow and whose summaries were recomputed: those on flows
	// built in or accepted. The others were checked for everything else
	// (structure, sizes, checksum), but their flow was not run.
	Rescored int
}

// Verify reads a bundle whole and checks it as an import would, writing
// nothing and needing no store. It never runs a flow that is neither
// built in nor in accept (flow hashes): it shows it instead, so the
// person can decide whether to accept it (import --accept-flow HASH).
func Verify(ctx context.Context, path string, ids []age.Identity, accept []string) (*VerifyReport, error) {
	c, err := checkBundle(ctx, path, ids, KnownFlows(nil, accept), false, nil, nil)
	if err != nil {
		return nil, err
	}
	return &VerifyReport{File: path, Kind: c.kind, Header: c.header, Flows: c.flows, Interviews: len(c.ivs), Rescored: c.rescored}, nil
}
