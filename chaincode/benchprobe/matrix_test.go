package benchprobe_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/benchprobe"
	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

// Who may call the probes, written out here from the specification
// (issue 13: the probes only on networks made for benchmarks, called only
// by the administrators of the channel's members, never by Oversight),
// independently of the rule the contract declares.
var writers = map[string][]string{
	consortium.EducationChannel: {"EduMinistryMSP", "UniversityAMSP", "UniversityBMSP"},
	consortium.FinanceChannel:   {"FinanceBureauMSP", "AuditOfficeMSP", "EduMinistryMSP", "InternetCourtMSP"},
	consortium.EvidenceChannel:  {"InternetCourtMSP", "NotaryOfficeMSP"},
}

// byAdmin is the rule of every probe on channel.
func byAdmin(channel string) ledgertest.Rule {
	orgs := writers[channel]
	return ledgertest.Rule{
		Allows:   func(msp, role string) bool { return role == "admin" && slices.Contains(orgs, msp) },
		Requires: `role "admin" in ` + strings.Join(orgs[:len(orgs)-1], ", ") + " or " + orgs[len(orgs)-1],
	}
}

// TestAuthorisationMatrix calls every probe on each channel as every
// organisation and role of the consortium: the channel's writing members'
// administrators are admitted, everybody else, Oversight's administrator
// included, is refused with nothing written.
func TestAuthorisationMatrix(t *testing.T) {
	cc, err := contractapi.NewChaincode(benchprobe.New())
	require.NoError(t, err)
	for channel, orgs := range writers {
		t.Run(channel, func(t *testing.T) {
			rule := byAdmin(channel)
			world := func(tb testing.TB) (string, *ledgertest.Ledger) {
				l := ledgertest.New(tb, ledgertest.WithChannel(channel), ledgertest.WithChaincode("benchprobe"),
					ledgertest.WithCollection(consortium.BaselineCollection, orgs...))
				admin := l.As(orgs[0], consortium.RoleAdmin)
				_, err := admin.Invoke(cc, "Put", "on-file", "v")
				require.NoError(tb, err)
				_, err = admin.Invoke(cc, "PutGuarded", "guarded-on-file", "v", orgs[0])
				require.NoError(tb, err)
				return channel, l
			}
			ledgertest.Matrix[string]{
				Chaincode: cc,
				Contract:  "benchprobe",
				World:     world,
				Calls: map[string]ledgertest.MatrixCall[string]{
					"Put":        {Write: true, Silent: true, Rule: rule, Args: []string{"k", "v"}},
					"PutGuarded": {Write: true, Silent: true, Rule: rule, Args: []string{"g", "v", strings.Join(orgs, ",")}},
					"PutPrivate": {Write: true, Silent: true, Rule: rule, Args: []string{"p", "v", consortium.BaselineCollection},
						Transient: map[string][]byte{benchprobe.TransientPrivate: []byte("private")}},
					"PutShaped":  {Write: true, Silent: true, Rule: rule, Args: []string{"s", `{"reads":["on-file"],"writes":[10]}`}},
					"Get":        {Rule: rule, Args: []string{"on-file"}},
					"GetGuarded": {Rule: rule, Args: []string{"guarded-on-file"}},
				},
			}.Run(t)
		})
	}
}
