package network

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"
)

// Before an agency submits a config update, govnet checks its signatures
// against the channel's configuration as the orderers will: each
// signature must verify over this very update and come from a certificate
// of the MSP it names; then every policy the update needs must be met. A
// refusal names whose signatures are missing, so an update is never sent
// to be refused by the orderers, and the running network stays as it was.

// Signer is one valid signature on an update: who made it.
type Signer struct {
	MSPID string `json:"mspId"`
	// Role is the identity's role as its MSP's NodeOUs say: admin, client,
	// peer or orderer.
	Role string `json:"role"`
	// Subject is the certificate's subject, for people.
	Subject string `json:"subject"`
	cert    *x509.Certificate
}

// RequiredPolicy is one policy an update must satisfy and how far its
// signatures go.
type RequiredPolicy struct {
	// Path is the policy, e.g. "/Channel/Application/Admins".
	Path string `json:"path"`
	// Rule says it in words, e.g. "MAJORITY of the Admins of
	// EduMinistryMSP, UniversityAMSP, UniversityBMSP, OversightMSP".
	Rule string `json:"rule"`
	// Satisfied says the signatures meet it.
	Satisfied bool `json:"satisfied"`
	// SignedBy and Missing name the organisations (MSP IDs) whose
	// signatures count and those that could still sign; Needed is how many
	// more signatures of them it takes.
	SignedBy []string `json:"signedBy"`
	Missing  []string `json:"missing"`
	Needed   int      `json:"needed"`
}

// configIndex gives a channel configuration's groups, MSPs and policies by
// path.
type configIndex struct {
	groups map[string]*common.ConfigGroup // "/Channel/Application" -> group
	msps   map[string]*mspInfo            // MSP ID -> its roots and units
}

type mspInfo struct {
	roots   *x509.CertPool
	nodeOUs *msp.FabricNodeOUs
}

func indexConfig(cfg *common.Config) (*configIndex, error) {
	idx := &configIndex{groups: map[string]*common.ConfigGroup{}, msps: map[string]*mspInfo{}}
	var walk func(path string, g *common.ConfigGroup) error
	walk = func(path string, g *common.ConfigGroup) error {
		idx.groups[path] = g
		if v, ok := g.GetValues()["MSP"]; ok {
			var mc msp.MSPConfig
			if err := proto.Unmarshal(v.GetValue(), &mc); err != nil {
				return fmt.Errorf("decode MSP at %s: %w", path, err)
			}
			var fc msp.FabricMSPConfig
			if err := proto.Unmarshal(mc.GetConfig(), &fc); err != nil {
				return fmt.Errorf("decode MSP at %s: %w", path, err)
			}
			info := &mspInfo{roots: x509.NewCertPool(), nodeOUs: fc.GetFabricNodeOus()}
			for _, root := range fc.GetRootCerts() {
				info.roots.AppendCertsFromPEM(root)
			}
			idx.msps[fc.GetName()] = info
		}
		for name, sub := range g.GetGroups() {
			if err := walk(path+"/"+name, sub); err != nil {
				return err
			}
		}
		return nil
	}
	return idx, walk("/Channel", cfg.GetChannelGroup())
}

// requiredPolicies lists the policies an update needs, in path order: the
// modification policy of every element whose version the update raises.
func requiredPolicies(idx *configIndex, update *common.ConfigUpdate) []string {
	seen := map[string]bool{}
	var walk func(path string, current, write *common.ConfigGroup)
	walk = func(path string, current, write *common.ConfigGroup) {
		if current == nil {
			return // a new group: the group above it changes membership and pays for it
		}
		if write.GetVersion() > current.GetVersion() {
			seen[policyPath(path, current.GetModPolicy())] = true
		}
		for name, w := range write.GetGroups() {
			walk(path+"/"+name, current.GetGroups()[name], w)
		}
		for name, w := range write.GetValues() {
			if c, ok := current.GetValues()[name]; ok && w.GetVersion() > c.GetVersion() {
				seen[policyPath(path, c.GetModPolicy())] = true
			}
		}
		for name, w := range write.GetPolicies() {
			if c, ok := current.GetPolicies()[name]; ok && w.GetVersion() > c.GetVersion() {
				seen[policyPath(path, c.GetModPolicy())] = true
			}
		}
	}
	walk("/Channel", idx.groups["/Channel"], update.GetWriteSet())
	paths := make([]string, 0, len(seen))
	for p := range seen {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	return paths
}

// policyPath resolves a modification policy name against the group path
// it is relative to; a name starting with "/" is absolute.
func policyPath(group, name string) string {
	if strings.HasPrefix(name, "/") {
		return name
	}
	return group + "/" + name
}

// signers verifies each signature of an update and returns the valid ones,
// and one error per signature that is not (made over another update, by a
// certificate of no MSP of the channel, malformed).
func signers(idx *configIndex, update []byte, sigs []*common.ConfigSignature) ([]Signer, []error) {
	var valid []Signer
	var bad []error
	for i, sig := range sigs {
		s, err := checkSignature(idx, update, sig)
		if err != nil {
			bad = append(bad, fmt.Errorf("signature %d: %w", i+1, err))
			continue
		}
		if slices.ContainsFunc(valid, func(v Signer) bool { return v.cert.Equal(s.cert) }) {
			continue // the same identity twice counts once
		}
		valid = append(valid, s)
	}
	return valid, bad
}

func checkSignature(idx *configIndex, update []byte, sig *common.ConfigSignature) (Signer, error) {
	var header common.SignatureHeader
	if err := proto.Unmarshal(sig.GetSignatureHeader(), &header); err != nil {
		return Signer{}, fmt.Errorf("decode signature header: %w", err)
	}
	var id msp.SerializedIdentity
	if err := proto.Unmarshal(header.GetCreator(), &id); err != nil {
		return Signer{}, fmt.Errorf("decode signer: %w", err)
	}
	block, _ := pem.Decode(id.GetIdBytes())
	if block == nil {
		return Signer{}, fmt.Errorf("signer of %s has no certificate", id.GetMspid())
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return Signer{}, fmt.Errorf("signer of %s: %w", id.GetMspid(), err)
	}
	who := fmt.Sprintf("%s (%s)", cert.Subject.CommonName, id.GetMspid())
	info, ok := idx.msps[id.GetMspid()]
	if !ok {
		return Signer{}, fmt.Errorf("%s: %s is no MSP of the channel", who, id.GetMspid())
	}
	if _, err := cert.Verify(x509.VerifyOptions{Roots: info.roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
		return Signer{}, fmt.Errorf("%s: the certificate is not one of %s's: %w", who, id.GetMspid(), err)
	}
	key, ok := cert.PublicKey.(*ecdsa.PublicKey)
	if !ok {
		return Signer{}, fmt.Errorf("%s: not an ECDSA key", who)
	}
	digest := sha256.Sum256(append(append([]byte{}, sig.GetSignatureHeader()...), update...))
	if !ecdsa.VerifyASN1(key, digest[:], sig.GetSignature()) {
		return Signer{}, fmt.Errorf("%s: the signature is not over this update (it was made for another)", who)
	}
	return Signer{MSPID: id.GetMspid(), Role: roleOf(cert, info.nodeOUs), Subject: cert.Subject.String(), cert: cert}, nil
}

// roleOf reads an identity's role from its organisational units, as the
// MSP's NodeOUs define them.
func roleOf(cert *x509.Certificate, ous *msp.FabricNodeOUs) string {
	if !ous.GetEnable() {
		return "member"
	}
	for _, r := range []struct {
		name string
		ou   *msp.FabricOUIdentifier
	}{
		{"admin", ous.GetAdminOuIdentifier()}, {"peer", ous.GetPeerOuIdentifier()},
		{"orderer", ous.GetOrdererOuIdentifier()}, {"client", ous.GetClientOuIdentifier()},
	} {
		if r.ou != nil && slices.Contains(cert.Subject.OrganizationalUnit, r.ou.GetOrganizationalUnitIdentifier()) {
			return r.name
		}
	}
	return "member"
}

// evaluate checks a policy of the configuration against the signers.
func (idx *configIndex) evaluate(path string, signers []Signer) (*RequiredPolicy, error) {
	group, name := path[:strings.LastIndex(path, "/")], path[strings.LastIndex(path, "/")+1:]
	g, ok := idx.groups[group]
	if !ok {
		return nil, fmt.Errorf("policy %s: no group %s", path, group)
	}
	cp, ok := g.GetPolicies()[name]
	if !ok {
		return nil, fmt.Errorf("no policy %s in the channel's configuration", path)
	}
	out := &RequiredPolicy{Path: path}
	switch common.Policy_PolicyType(cp.GetPolicy().GetType()) {
	case common.Policy_IMPLICIT_META:
		var meta common.ImplicitMetaPolicy
		if err := proto.Unmarshal(cp.GetPolicy().GetValue(), &meta); err != nil {
			return nil, fmt.Errorf("decode policy %s: %w", path, err)
		}
		var subs []string
		for sub := range g.GetGroups() {
			subs = append(subs, sub)
		}
		slices.Sort(subs)
		need := map[common.ImplicitMetaPolicy_Rule]int{common.ImplicitMetaPolicy_ANY: 1, common.ImplicitMetaPolicy_ALL: len(subs),
			common.ImplicitMetaPolicy_MAJORITY: len(subs)/2 + 1}[meta.GetRule()]
		met := 0
		for _, sub := range subs {
			r, err := idx.evaluate(group+"/"+sub+"/"+meta.GetSubPolicy(), signers)
			if err != nil {
				return nil, err
			}
			if r.Satisfied {
				met++
				out.SignedBy = append(out.SignedBy, r.SignedBy...)
			} else {
				out.Missing = append(out.Missing, r.Missing...)
			}
		}
		out.Rule = fmt.Sprintf("%s of the %s of %s (%d of %d)", meta.GetRule(), meta.GetSubPolicy(), strings.Join(subs, ", "), need, len(subs))
		out.Satisfied, out.Needed = met >= need, max(0, need-met)
	case common.Policy_SIGNATURE:
		var env common.SignaturePolicyEnvelope
		if err := proto.Unmarshal(cp.GetPolicy().GetValue(), &env); err != nil {
			return nil, fmt.Errorf("decode policy %s: %w", path, err)
		}
		principals, err := describePrincipals(env.GetIdentities())
		if err != nil {
			return nil, fmt.Errorf("policy %s: %w", path, err)
		}
		used := make([]bool, len(signers))
		out.Satisfied = signatureRule(env.GetRule(), principals, signers, used)
		for i, s := range signers {
			if used[i] {
				out.SignedBy = append(out.SignedBy, s.MSPID)
			}
		}
		if rule, err := describeRule(env.GetRule(), quoted(principals)); err == nil {
			out.Rule = rule
		}
		if !out.Satisfied {
			out.Needed = 1
			for _, p := range principals {
				if !slices.Contains(out.Missing, p.mspID) {
					out.Missing = append(out.Missing, p.mspID)
				}
			}
		}
	default:
		return nil, fmt.Errorf("policy %s is of a type govnet does not evaluate (%d)", path, cp.GetPolicy().GetType())
	}
	slices.Sort(out.SignedBy)
	out.SignedBy = slices.Compact(out.SignedBy)
	slices.Sort(out.Missing)
	out.Missing = slices.Compact(out.Missing)
	return out, nil
}

// policyPrincipal is an MSP role a signature policy names.
type policyPrincipal struct{ mspID, role string }

func describePrincipals(ids []*msp.MSPPrincipal) ([]policyPrincipal, error) {
	out := make([]policyPrincipal, len(ids))
	for i, id := range ids {
		if id.GetPrincipalClassification() != msp.MSPPrincipal_ROLE {
			return nil, fmt.Errorf("principal %d is not an MSP role", i)
		}
		var role msp.MSPRole
		if err := proto.Unmarshal(id.GetPrincipal(), &role); err != nil {
			return nil, fmt.Errorf("decode principal %d: %w", i, err)
		}
		out[i] = policyPrincipal{mspID: role.GetMspIdentifier(), role: strings.ToLower(role.GetRole().String())}
	}
	return out, nil
}

func quoted(ps []policyPrincipal) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = fmt.Sprintf("'%s.%s'", p.mspID, p.role)
	}
	return out
}

// signatureRule evaluates an n-out-of rule; each signer satisfies one
// principal at most, as Fabric counts them.
func signatureRule(rule *common.SignaturePolicy, principals []policyPrincipal, signers []Signer, used []bool) bool {
	switch t := rule.GetType().(type) {
	case *common.SignaturePolicy_SignedBy:
		if int(t.SignedBy) >= len(principals) {
			return false
		}
		p := principals[t.SignedBy]
		for i, s := range signers {
			if !used[i] && s.MSPID == p.mspID && (p.role == "member" || p.role == s.Role) {
				used[i] = true
				return true
			}
		}
		return false
	case *common.SignaturePolicy_NOutOf_:
		met := 0
		for _, r := range t.NOutOf.GetRules() {
			trial := slices.Clone(used)
			if signatureRule(r, principals, signers, trial) {
				copy(used, trial)
				met++
			}
		}
		return met >= int(t.NOutOf.GetN())
	default:
		return false
	}
}

// ErrNotEnoughSignatures is returned when an update's signatures do not
// meet the policies it needs.
var ErrNotEnoughSignatures = errors.New("the update is not signed by enough administrators")

// checkUpdateSignatures evaluates every policy an update needs against its
// signatures under the current configuration.
func checkUpdateSignatures(current *common.Config, update *common.ConfigUpdate, raw []byte, sigs []*common.ConfigSignature) ([]*RequiredPolicy, []Signer, []error, error) {
	idx, err := indexConfig(current)
	if err != nil {
		return nil, nil, nil, err
	}
	valid, bad := signers(idx, raw, sigs)
	var out []*RequiredPolicy
	for _, path := range requiredPolicies(idx, update) {
		r, err := idx.evaluate(path, valid)
		if err != nil {
			return nil, nil, nil, err
		}
		out = append(out, r)
	}
	return out, valid, bad, nil
}

// lowS rewrites an ECDSA signature with s in the lower half of the curve
// order, the only form Fabric accepts.
func lowS(key *ecdsa.PrivateKey, der []byte) ([]byte, error) {
	var sig struct{ R, S *big.Int }
	if _, err := asn1.Unmarshal(der, &sig); err != nil {
		return nil, fmt.Errorf("decode signature: %w", err)
	}
	n := key.Curve.Params().N
	if sig.S.Cmp(new(big.Int).Rsh(n, 1)) > 0 {
		sig.S.Sub(n, sig.S)
	}
	return asn1.Marshal(sig)
}
