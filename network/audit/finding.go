package audit

import "fmt"

// Problem names what a finding found.
type Problem string

// The problems the audit reports.
const (
	// ProblemNumber: a source gave a block with another number than asked.
	ProblemNumber Problem = "block-number"
	// ProblemPreviousHash: a block's previous hash is not the hash of the
	// block before it.
	ProblemPreviousHash Problem = "previous-hash"
	// ProblemDataHash: a block's transactions do not hash to its data hash.
	ProblemDataHash Problem = "data-hash"
	// ProblemOrdererSignature: no valid signature of an ordering
	// organisation of the configuration in force, or a signature that does
	// not verify.
	ProblemOrdererSignature Problem = "orderer-signature"
	// ProblemLastConfig: the block's metadata names another configuration
	// block than the last one.
	ProblemLastConfig Problem = "last-config"
	// ProblemDiffers: a source's copy of a block (header, validation results)
	// differs from what the majority of sources hold.
	ProblemDiffers Problem = "differs"
	// ProblemCreatorSignature: a transaction's creator signature does not
	// verify, or its creator is no member of the configuration in force.
	ProblemCreatorSignature Problem = "creator-signature"
	// ProblemEndorsement: an endorsement signature of a transaction marked
	// valid does not verify, or its endorser is no member.
	ProblemEndorsement Problem = "endorsement-signature"
	// ProblemConfig: a configuration block or update does not decode, or
	// a signature on a configuration update does not verify.
	ProblemConfig Problem = "config"
	// ProblemMalformed: a block or transaction does not decode.
	ProblemMalformed Problem = "malformed"
	// ProblemFetch: a source's blocks could not be read to the end.
	ProblemFetch Problem = "fetch"
	// ProblemState: a peer's world state at a block differs from the
	// majority's (its snapshot's hashes).
	ProblemState Problem = "state"
)

// Finding is one thing the audit found wrong.
type Finding struct {
	Channel string `json:"channel"`
	Block   uint64 `json:"block"`
	// Source is the peer or orderer whose copy is wrong; empty when the
	// chain itself is (every source holds the same wrong thing).
	Source  string  `json:"source,omitempty"`
	Problem Problem `json:"problem"`
	// Transaction is the ID of the transaction concerned, if any.
	Transaction string `json:"transaction,omitempty"`
	Detail      string `json:"detail"`
}

func (f Finding) String() string {
	where := "the chain"
	if f.Source != "" {
		where = f.Source
	}
	tx := ""
	if f.Transaction != "" {
		tx = " transaction " + f.Transaction
	}
	return fmt.Sprintf("%s block %d%s on %s: %s: %s", f.Channel, f.Block, tx, where, f.Problem, f.Detail)
}
