package network

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"
)

// parseCommitted reads the JSON that `peer lifecycle chaincode
// querycommitted --output json` prints for one chaincode.
func parseCommitted(channel, name string, out []byte) (*CommittedChaincode, error) {
	var raw struct {
		Sequence            json.Number `json:"sequence"`
		Version             string      `json:"version"`
		ValidationParameter string      `json:"validation_parameter"`
		Collections         struct {
			// The peer CLI writes the collection configs with
			// encoding/json, so oneof wrappers appear as field names.
			Config []struct {
				Payload struct {
					Static struct {
						Name string `json:"name"`
					} `json:"StaticCollectionConfig"`
				} `json:"Payload"`
			} `json:"config"`
		} `json:"collections"`
	}
	if err := json.Unmarshal(out, &raw); err != nil {
		return nil, fmt.Errorf("read committed definition of %s on %s: %w", name, channel, err)
	}
	sequence, err := strconv.ParseInt(raw.Sequence.String(), 10, 64)
	if err != nil {
		return nil, fmt.Errorf("read committed sequence of %s on %s: %w", name, channel, err)
	}
	param, err := base64.StdEncoding.DecodeString(raw.ValidationParameter)
	if err != nil {
		return nil, fmt.Errorf("read committed policy of %s on %s: %w", name, channel, err)
	}
	policy, err := DescribeApplicationPolicy(param)
	if err != nil {
		return nil, fmt.Errorf("read committed policy of %s on %s: %w", name, channel, err)
	}
	c := &CommittedChaincode{Channel: channel, Name: name, Version: raw.Version, Sequence: sequence, EndorsementPolicy: policy}
	for _, col := range raw.Collections.Config {
		c.Collections = append(c.Collections, col.Payload.Static.Name)
	}
	return c, nil
}

// DescribeApplicationPolicy writes a chaincode's validation parameter (a
// serialized ApplicationPolicy) in Fabric's policy language, as
// AND/OR/OutOf over 'MSPID.role' principals, so that the committed policy can
// be compared with the declared one.
func DescribeApplicationPolicy(validationParameter []byte) (string, error) {
	var ap peer.ApplicationPolicy
	if err := proto.Unmarshal(validationParameter, &ap); err != nil {
		return "", fmt.Errorf("decode application policy: %w", err)
	}
	switch t := ap.GetType().(type) {
	case *peer.ApplicationPolicy_SignaturePolicy:
		return describeSignaturePolicy(t.SignaturePolicy)
	case *peer.ApplicationPolicy_ChannelConfigPolicyReference:
		return "channel policy " + t.ChannelConfigPolicyReference, nil
	default:
		return "", fmt.Errorf("application policy of unknown type %T", t)
	}
}

func describeSignaturePolicy(env *common.SignaturePolicyEnvelope) (string, error) {
	principals := make([]string, len(env.GetIdentities()))
	for i, id := range env.GetIdentities() {
		if id.GetPrincipalClassification() != msp.MSPPrincipal_ROLE {
			return "", fmt.Errorf("principal %d is not an MSP role", i)
		}
		var role msp.MSPRole
		if err := proto.Unmarshal(id.GetPrincipal(), &role); err != nil {
			return "", fmt.Errorf("decode principal %d: %w", i, err)
		}
		principals[i] = fmt.Sprintf("'%s.%s'", role.GetMspIdentifier(), strings.ToLower(role.GetRole().String()))
	}
	return describeRule(env.GetRule(), principals)
}

func describeRule(rule *common.SignaturePolicy, principals []string) (string, error) {
	switch t := rule.GetType().(type) {
	case *common.SignaturePolicy_SignedBy:
		if int(t.SignedBy) < 0 || int(t.SignedBy) >= len(principals) {
			return "", fmt.Errorf("rule names principal %d of %d", t.SignedBy, len(principals))
		}
		return principals[t.SignedBy], nil
	case *common.SignaturePolicy_NOutOf_:
		parts := make([]string, len(t.NOutOf.GetRules()))
		for i, r := range t.NOutOf.GetRules() {
			s, err := describeRule(r, principals)
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		list := strings.Join(parts, ", ")
		switch n := int(t.NOutOf.GetN()); {
		case n == len(parts):
			return "AND(" + list + ")", nil
		case n == 1:
			return "OR(" + list + ")", nil
		default:
			return fmt.Sprintf("OutOf(%d, %s)", n, list), nil
		}
	default:
		return "", fmt.Errorf("signature policy rule of unknown type %T", t)
	}
}
