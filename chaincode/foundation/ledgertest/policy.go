package ledgertest

import (
	"fmt"
	"slices"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"
)

// policySatisfied evaluates a key-level endorsement policy (a serialized
// SignaturePolicyEnvelope, as built by package statebased) against the
// organisations whose peers endorsed the transaction. Principals are
// matched by MSP ID only; the in-memory ledger has no peers to tell member
// from peer roles.
func policySatisfied(policy []byte, endorsers []string) (bool, error) {
	env := &common.SignaturePolicyEnvelope{}
	if err := proto.Unmarshal(policy, env); err != nil {
		return false, fmt.Errorf("decode endorsement policy: %w", err)
	}
	if env.GetRule() == nil {
		return false, fmt.Errorf("endorsement policy has no rule")
	}
	return evaluate(env.GetRule(), env.GetIdentities(), endorsers, 0)
}

func evaluate(rule *common.SignaturePolicy, principals []*msp.MSPPrincipal, endorsers []string, depth int) (bool, error) {
	if depth > 32 {
		return false, fmt.Errorf("endorsement policy nested too deeply")
	}
	switch t := rule.GetType().(type) {
	case *common.SignaturePolicy_SignedBy:
		i := int(t.SignedBy)
		if i < 0 || i >= len(principals) {
			return false, fmt.Errorf("policy refers to identity %d of %d", i, len(principals))
		}
		p := principals[i]
		if p.GetPrincipalClassification() != msp.MSPPrincipal_ROLE {
			return false, fmt.Errorf("ledgertest evaluates only MSP role principals, got %s", p.GetPrincipalClassification())
		}
		role := &msp.MSPRole{}
		if err := proto.Unmarshal(p.GetPrincipal(), role); err != nil {
			return false, fmt.Errorf("decode principal: %w", err)
		}
		return slices.Contains(endorsers, role.GetMspIdentifier()), nil
	case *common.SignaturePolicy_NOutOf_:
		satisfied := 0
		for _, r := range t.NOutOf.GetRules() {
			ok, err := evaluate(r, principals, endorsers, depth+1)
			if err != nil {
				return false, err
			}
			if ok {
				satisfied++
			}
		}
		return satisfied >= int(t.NOutOf.GetN()), nil
	default:
		return false, fmt.Errorf("unknown signature policy rule %T", t)
	}
}
