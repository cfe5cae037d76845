package network

import (
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
)

func principal(t *testing.T, mspID string, role msp.MSPRole_MSPRoleType) *msp.MSPPrincipal {
	b, err := proto.Marshal(&msp.MSPRole{MspIdentifier: mspID, Role: role})
	require.NoError(t, err)
	return &msp.MSPPrincipal{PrincipalClassification: msp.MSPPrincipal_ROLE, Principal: b}
}

func signedBy(i int32) *common.SignaturePolicy {
	return &common.SignaturePolicy{Type: &common.SignaturePolicy_SignedBy{SignedBy: i}}
}

func outOf(n int32, rules ...*common.SignaturePolicy) *common.SignaturePolicy {
	return &common.SignaturePolicy{Type: &common.SignaturePolicy_NOutOf_{NOutOf: &common.SignaturePolicy_NOutOf{N: n, Rules: rules}}}
}

func TestDescribeApplicationPolicy(t *testing.T) {
	ids := []*msp.MSPPrincipal{
		principal(t, "EduMinistryMSP", msp.MSPRole_PEER),
		principal(t, "UniversityAMSP", msp.MSPRole_PEER),
		principal(t, "UniversityBMSP", msp.MSPRole_PEER),
	}
	cases := []struct {
		name string
		rule *common.SignaturePolicy
		want string
	}{
		{"nested and/or", outOf(2, signedBy(0), outOf(1, signedBy(1), signedBy(2))),
			"AND('EduMinistryMSP.peer', OR('UniversityAMSP.peer', 'UniversityBMSP.peer'))"},
		{"n out of m", outOf(2, signedBy(0), signedBy(1), signedBy(2)),
			"OutOf(2, 'EduMinistryMSP.peer', 'UniversityAMSP.peer', 'UniversityBMSP.peer')"},
		{"single", signedBy(1), "'UniversityAMSP.peer'"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			param, err := proto.Marshal(&peer.ApplicationPolicy{Type: &peer.ApplicationPolicy_SignaturePolicy{
				SignaturePolicy: &common.SignaturePolicyEnvelope{Rule: tc.rule, Identities: ids},
			}})
			require.NoError(t, err)
			got, err := DescribeApplicationPolicy(param)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestDescribeApplicationPolicyRefusesBrokenPolicies(t *testing.T) {
	param, err := proto.Marshal(&peer.ApplicationPolicy{Type: &peer.ApplicationPolicy_SignaturePolicy{
		SignaturePolicy: &common.SignaturePolicyEnvelope{Rule: signedBy(5), Identities: []*msp.MSPPrincipal{principal(t, "A", msp.MSPRole_PEER)}},
	}})
	require.NoError(t, err)
	_, err = DescribeApplicationPolicy(param)
	assert.ErrorContains(t, err, "principal 5 of 1")

	_, err = DescribeApplicationPolicy([]byte{0xff, 0xff})
	assert.ErrorContains(t, err, "decode application policy")
}
