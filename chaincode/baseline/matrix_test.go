package baseline_test

import (
	"slices"
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/baseline"
	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

// Who may call what on each channel, written out here from the
// specification (issue 13 and docs/conventions.md), independently of the
// rules declared in the contract: every member reads, and only the
// administrators of the members other than Oversight write.
var channels = map[string]struct {
	writersRule, readersRule string
	writers, readers         []string
}{
	consortium.EducationChannel: {
		writers: []string{"EduMinistryMSP", "UniversityAMSP", "UniversityBMSP"}, readers: []string{"EduMinistryMSP", "UniversityAMSP", "UniversityBMSP", "OversightMSP"},
		writersRule: `role "admin" in EduMinistryMSP, UniversityAMSP or UniversityBMSP`,
		readersRule: `any identity of EduMinistryMSP, UniversityAMSP, UniversityBMSP or OversightMSP`,
	},
	consortium.FinanceChannel: {
		writers: []string{"FinanceBureauMSP", "AuditOfficeMSP", "EduMinistryMSP", "InternetCourtMSP"}, readers: []string{"FinanceBureauMSP", "AuditOfficeMSP", "EduMinistryMSP", "InternetCourtMSP", "OversightMSP"},
		writersRule: `role "admin" in FinanceBureauMSP, AuditOfficeMSP, EduMinistryMSP or InternetCourtMSP`,
		readersRule: `any identity of FinanceBureauMSP, AuditOfficeMSP, EduMinistryMSP, InternetCourtMSP or OversightMSP`,
	},
	consortium.EvidenceChannel: {
		writers: []string{"InternetCourtMSP", "NotaryOfficeMSP"}, readers: []string{"InternetCourtMSP", "NotaryOfficeMSP", "OversightMSP"},
		writersRule: `role "admin" in InternetCourtMSP or NotaryOfficeMSP`,
		readersRule: `any identity of InternetCourtMSP, NotaryOfficeMSP or OversightMSP`,
	},
}

// TestAuthorisationMatrix calls the baseline, as deployed on each
// consortium channel, as every organisation and role of the consortium,
// through the chaincode's Invoke: an admitted write emits its event, a
// refused caller is refused by the declared rule, and nothing is written
// (see ledgertest.Matrix).
func TestAuthorisationMatrix(t *testing.T) {
	cc, err := contractapi.NewChaincode(baseline.New())
	require.NoError(t, err)
	for name, ch := range channels {
		t.Run(name, func(t *testing.T) {
			writer := ledgertest.Rule{Allows: func(msp, role string) bool { return role == "admin" && slices.Contains(ch.writers, msp) }, Requires: ch.writersRule}
			reader := ledgertest.Rule{Allows: func(msp, _ string) bool { return slices.Contains(ch.readers, msp) }, Requires: ch.readersRule}
			ledgertest.Matrix[string]{
				Chaincode: cc,
				Contract:  "baseline",
				World: func(tb testing.TB) (string, *ledgertest.Ledger) {
					l := ledgertest.New(tb, ledgertest.WithChannel(name), ledgertest.WithChaincode("baseline"))
					require.NoError(tb, put(l.As(ch.writers[0], "admin"), "network-up", "ok"))
					return name, l
				},
				Calls: map[string]ledgertest.MatrixCall[string]{
					"Put": {Write: true, Rule: writer, Args: []string{"network-up", "ok"}},
					"Get": {Rule: reader, Args: []string{"network-up"}},
				},
			}.Run(t)
		})
	}
}
