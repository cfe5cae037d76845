package audit

import (
	"fmt"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"
)

// checkTransactions checks the signatures of every transaction of a block
// the sources agree on, against the configuration in force before it: the
// creator's over the payload, each endorser's over the proposal response
// and its own identity, and, in a configuration block, the orderer's over
// the new configuration and every signature on the update it applies. A
// transaction the peers marked invalid stays in the chain; only its
// creator's signature is checked, since the orderers checked it before
// ordering it.
func (c *Checker) checkTransactions(b *common.Block, filter []byte) []Finding {
	n := b.GetHeader().GetNumber()
	if n == 0 {
		return nil // the genesis block's configuration is what every member joined with
	}
	var out []Finding
	for i, raw := range b.GetData().GetData() {
		c.Transactions++
		env, payload, ch, err := decodeEnvelope(raw)
		if err != nil {
			out = append(out, Finding{Channel: c.channel, Block: n, Problem: ProblemMalformed, Detail: fmt.Sprintf("transaction %d: %v", i, err)})
			continue
		}
		find := func(p Problem, format string, args ...any) {
			out = append(out, Finding{Channel: c.channel, Block: n, Problem: p, Transaction: ch.GetTxId(), Detail: fmt.Sprintf(format, args...)})
		}
		if ch.GetChannelId() != c.channel {
			find(ProblemMalformed, "transaction %d names channel %q", i, ch.GetChannelId())
			continue
		}
		var sh common.SignatureHeader
		if err := proto.Unmarshal(payload.GetHeader().GetSignatureHeader(), &sh); err != nil {
			find(ProblemMalformed, "transaction %d: decode its signature header: %v", i, err)
			continue
		}
		valid := validity(filter, i) == peer.TxValidationCode_VALID
		if !valid {
			c.Invalid++
		}
		switch common.HeaderType(ch.GetType()) {
		case common.HeaderType_ENDORSER_TRANSACTION:
			if _, err := verifySigned(c.cfg.members, sh.GetCreator(), env.GetPayload(), env.GetSignature()); err != nil {
				if valid {
					find(ProblemCreatorSignature, "%v", err)
				}
				continue
			}
			if valid {
				for _, e := range endorsementErrors(c.cfg.members, payload.GetData()) {
					find(ProblemEndorsement, "%v", e)
				}
			}
		case common.HeaderType_CONFIG:
			if _, err := verifySigned(c.cfg.orderers, sh.GetCreator(), env.GetPayload(), env.GetSignature()); err != nil {
				find(ProblemCreatorSignature, "the configuration transaction: %v", err)
				continue
			}
			for _, e := range configUpdateErrors(union(c.cfg.orderers, c.cfg.members), payload.GetData()) {
				find(ProblemConfig, "%v", e)
			}
		default:
			if _, err := verifySigned(union(c.cfg.orderers, c.cfg.members), sh.GetCreator(), env.GetPayload(), env.GetSignature()); err != nil && valid {
				find(ProblemCreatorSignature, "%s transaction: %v", common.HeaderType(ch.GetType()), err)
			}
		}
	}
	return out
}

// endorsementErrors checks every endorsement of every action of an
// endorser transaction.
func endorsementErrors(members map[string]*orgMSP, data []byte) []error {
	var tx peer.Transaction
	if err := proto.Unmarshal(data, &tx); err != nil {
		return []error{fmt.Errorf("decode the transaction: %w", err)}
	}
	var out []error
	for a, action := range tx.GetActions() {
		var cap peer.ChaincodeActionPayload
		if err := proto.Unmarshal(action.GetPayload(), &cap); err != nil {
			out = append(out, fmt.Errorf("action %d: decode: %w", a, err))
			continue
		}
		endorsed := cap.GetAction()
		if len(endorsed.GetEndorsements()) == 0 {
			out = append(out, fmt.Errorf("action %d has no endorsement", a))
		}
		for e, en := range endorsed.GetEndorsements() {
			if _, err := verifySigned(members, en.GetEndorser(), concat(endorsed.GetProposalResponsePayload(), en.GetEndorser()), en.GetSignature()); err != nil {
				out = append(out, fmt.Errorf("action %d, endorsement %d: %w", a, e+1, err))
			}
		}
	}
	return out
}

// configUpdateErrors checks the update a configuration transaction
// applies: its submitter's signature on the update envelope and every
// signature collected on the update, against the configuration before it.
// Whether the signatures satisfy the modification policies the orderers
// and peers have evaluated; the audit checks that each is genuine.
func configUpdateErrors(msps map[string]*orgMSP, data []byte) []error {
	var ce common.ConfigEnvelope
	if err := proto.Unmarshal(data, &ce); err != nil {
		return []error{fmt.Errorf("decode the configuration: %w", err)}
	}
	if ce.GetLastUpdate() == nil {
		return nil
	}
	env := ce.GetLastUpdate()
	payload, _, err := openEnvelope(env)
	if err != nil {
		return []error{fmt.Errorf("the update: %w", err)}
	}
	var out []error
	var sh common.SignatureHeader
	if err := proto.Unmarshal(payload.GetHeader().GetSignatureHeader(), &sh); err != nil {
		return []error{fmt.Errorf("the update: decode its signature header: %w", err)}
	}
	if _, err := verifySigned(msps, sh.GetCreator(), env.GetPayload(), env.GetSignature()); err != nil {
		out = append(out, fmt.Errorf("the update's submitter: %w", err))
	}
	var cue common.ConfigUpdateEnvelope
	if err := proto.Unmarshal(payload.GetData(), &cue); err != nil {
		return append(out, fmt.Errorf("decode the update: %w", err))
	}
	for i, sig := range cue.GetSignatures() {
		var sigHeader common.SignatureHeader
		if err := proto.Unmarshal(sig.GetSignatureHeader(), &sigHeader); err != nil {
			out = append(out, fmt.Errorf("update signature %d: decode: %w", i+1, err))
			continue
		}
		if _, err := verifySigned(msps, sigHeader.GetCreator(), concat(sig.GetSignatureHeader(), cue.GetConfigUpdate()), sig.GetSignature()); err != nil {
			out = append(out, fmt.Errorf("update signature %d: %w", i+1, err))
		}
	}
	return out
}
