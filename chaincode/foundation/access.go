package foundation

import (
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/cid"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/govshare/govshare/chaincode/consortium"
)

// Caller is the identity that submitted a transaction, read from the
// creator's certificate. It is never taken from arguments.
type Caller struct {
	// MSPID is the caller's organisation.
	MSPID string `json:"mspId"`
	// Role is the value of the caller's govshare.role certificate
	// attribute, or empty if the certificate has none.
	Role string `json:"role"`
	// ID names the certificate: "x509::<subject DN>::<issuer DN>". It is
	// empty for identities without an X.509 certificate.
	ID string `json:"id"`
}

// CallerOf reads the submitting identity from the transaction context: the
// MSP ID and the govshare.role attribute of the creator's certificate.
func CallerOf(ctx contractapi.TransactionContextInterface) (Caller, error) {
	if ctx == nil || ctx.GetStub() == nil {
		return Caller{}, errors.New("read caller identity: no transaction context")
	}
	id := ctx.GetClientIdentity()
	if isNilIdentity(id) {
		// contractapi ignores the error of cid.New and hands the
		// contract a nil identity; parse again to report why.
		parsed, err := cid.New(ctx.GetStub())
		if err != nil {
			return Caller{}, fmt.Errorf("read caller identity: %w", err)
		}
		id = parsed
	}
	mspID, err := id.GetMSPID()
	if err != nil {
		return Caller{}, fmt.Errorf("read caller MSP ID: %w", err)
	}
	if mspID == "" {
		return Caller{}, errors.New("read caller identity: creator has no MSP ID")
	}
	role, _, err := id.GetAttributeValue(consortium.RoleAttribute)
	if err != nil {
		return Caller{}, fmt.Errorf("read caller attribute %s: %w", consortium.RoleAttribute, err)
	}
	caller := Caller{MSPID: mspID, Role: role}
	if encoded, err := id.GetID(); err == nil {
		if decoded, err := base64.StdEncoding.DecodeString(encoded); err == nil {
			caller.ID = string(decoded)
		}
	}
	return caller, nil
}

func isNilIdentity(id cid.ClientIdentity) bool {
	if id == nil {
		return true
	}
	clientID, ok := id.(*cid.ClientID)
	return ok && clientID == nil
}

// Grant admits callers of some organisations: those with a given role, or
// every identity of the organisations. Build one with Role or AnyRole.
type Grant struct {
	mspIDs  []string
	role    string
	anyRole bool
	anyOrg  bool
}

// Role admits users of the organisations mspIDs whose govshare.role
// attribute equals role.
func Role(role string, mspIDs ...string) Grant {
	return Grant{mspIDs: slices.Clone(mspIDs), role: role}
}

// AnyRole admits every identity of the organisations mspIDs, with any role
// or none. Use it for reads open to all members of a channel.
func AnyRole(mspIDs ...string) Grant {
	return Grant{mspIDs: slices.Clone(mspIDs), anyRole: true}
}

// RoleInAnyOrganization admits users of any organisation whose
// govshare.role attribute equals role: a rule by membership, not by name.
// The peer admits to a proposal only identities of the channel's member
// organisations, so the grant admits the role in whichever organisations
// the channel has now; a function that uses it must decide from the ledger
// which of them may act (the university must be accredited, say) and
// refuse the others with Tx.Deny.
func RoleInAnyOrganization(role string) Grant {
	return Grant{role: role, anyOrg: true}
}

func (g Grant) permits(mspID, role string) bool {
	if !g.anyOrg && !slices.Contains(g.mspIDs, mspID) {
		return false
	}
	return g.anyRole || (g.role != "" && role == g.role)
}

func (g Grant) String() string {
	orgs := joinOr(g.mspIDs)
	if g.anyOrg {
		orgs = "any member organisation"
	}
	if g.anyRole {
		return "any identity of " + orgs
	}
	return fmt.Sprintf("role %q in %s", g.role, orgs)
}

// Rule is the access rule of one transaction function: the function's name
// and the grants that admit a caller. A caller is admitted if any grant
// admits it; a rule without grants admits nobody.
//
// A contract declares the rule in the first statement of the function it
// protects, so the rule is read together with the function:
//
//	tx, err := foundation.Begin(ctx, foundation.Allow("RecordCredit",
//		foundation.Role(consortium.RoleRegistrar, consortium.UniversityAMSP, consortium.UniversityBMSP)))
type Rule struct {
	function string
	grants   []Grant
}

// Allow returns the rule of function: callers admitted by any of grants.
func Allow(function string, grants ...Grant) Rule {
	return Rule{function: function, grants: slices.Clone(grants)}
}

// Function returns the name of the function the rule protects.
func (r Rule) Function() string { return r.function }

// Permits reports whether a caller of organisation mspID with role role (""
// for none) is admitted.
func (r Rule) Permits(mspID, role string) bool {
	for _, g := range r.grants {
		if g.permits(mspID, role) {
			return true
		}
	}
	return false
}

// Required says in words whom the rule admits.
func (r Rule) Required() string {
	if len(r.grants) == 0 {
		return "no caller (the function admits nobody)"
	}
	parts := make([]string, len(r.grants))
	for i, g := range r.grants {
		parts[i] = g.String()
	}
	return strings.Join(parts, ", or ")
}

// Check reads the caller from ctx and returns it if the rule admits it. A
// refused caller gets an *AccessError naming the function, the caller's
// organisation and role, and what the rule requires.
func (r Rule) Check(ctx contractapi.TransactionContextInterface) (Caller, error) {
	caller, err := CallerOf(ctx)
	if err != nil {
		return Caller{}, fmt.Errorf("%s: %w", r.function, err)
	}
	if !r.Permits(caller.MSPID, caller.Role) {
		return caller, &AccessError{Function: r.function, MSPID: caller.MSPID, Role: caller.Role, Required: r.Required()}
	}
	return caller, nil
}

// joinOr joins names as "A", "A or B", "A, B or C".
func joinOr(names []string) string {
	switch len(names) {
	case 0:
		return "no organisation"
	case 1:
		return names[0]
	default:
		return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
	}
}
