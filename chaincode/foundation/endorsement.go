package foundation

import (
	"fmt"
	"slices"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/statebased"
)

// EndorsementPolicy returns a key-level endorsement policy that requires an
// endorsement from a peer of every organisation in mspIDs. The policy names
// the PEER role, so the channel's MSPs must classify nodes with NodeOUs.
func EndorsementPolicy(mspIDs ...string) ([]byte, error) {
	if len(mspIDs) == 0 {
		return nil, fmt.Errorf("endorsement policy needs at least one organisation")
	}
	ep, err := statebased.NewStateEP(nil)
	if err != nil {
		return nil, fmt.Errorf("new endorsement policy: %w", err)
	}
	if err := ep.AddOrgs(statebased.RoleTypePeer, mspIDs...); err != nil {
		return nil, fmt.Errorf("endorsement policy for %v: %w", mspIDs, err)
	}
	policy, err := ep.Policy()
	if err != nil {
		return nil, fmt.Errorf("encode endorsement policy for %v: %w", mspIDs, err)
	}
	return policy, nil
}

// PolicyOrganizations returns the organisations a key-level endorsement
// policy names, sorted; nil for an empty policy.
func PolicyOrganizations(policy []byte) ([]string, error) {
	if len(policy) == 0 {
		return nil, nil
	}
	ep, err := statebased.NewStateEP(policy)
	if err != nil {
		return nil, fmt.Errorf("decode endorsement policy: %w", err)
	}
	orgs := ep.ListOrgs()
	slices.Sort(orgs)
	return orgs, nil
}

// RequireEndorsement sets the key-level endorsement policy of key: from the
// next transaction on, a change of key is valid only if a peer of every
// organisation in mspIDs endorsed it, whatever the chaincode's own policy
// says. The policy is listed in the transaction's event.
func (tx *Tx) RequireEndorsement(key Key, mspIDs ...string) error {
	policy, err := EndorsementPolicy(mspIDs...)
	if err != nil {
		return fmt.Errorf("%s: %w", describeKey(key), err)
	}
	if err := tx.stub.SetStateValidationParameter(key.String(), policy); err != nil {
		return fmt.Errorf("set endorsement policy of %s: %w", describeKey(key), err)
	}
	orgs := slices.Sorted(slices.Values(mspIDs))
	orgs = slices.Compact(orgs)
	for i := range tx.changes {
		c := &tx.changes[i]
		if c.Collection == "" && c.ObjectType == key.ObjectType && slices.Equal(c.Attributes, key.Attributes) {
			c.Endorsers = orgs
			return nil
		}
	}
	tx.changes = append(tx.changes, Change{Op: OpEndorsement, ObjectType: key.ObjectType, Attributes: key.Attributes, Endorsers: orgs})
	return nil
}

// Endorsers returns the organisations that the key-level endorsement policy
// of key requires, sorted; nil if the key has no such policy.
func (tx *Tx) Endorsers(key Key) ([]string, error) {
	policy, err := tx.stub.GetStateValidationParameter(key.String())
	if err != nil {
		return nil, fmt.Errorf("read endorsement policy of %s: %w", describeKey(key), err)
	}
	orgs, err := PolicyOrganizations(policy)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", describeKey(key), err)
	}
	return orgs, nil
}
