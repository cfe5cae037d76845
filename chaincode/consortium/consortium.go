package consortium

// RoleAttribute is the name of the certificate attribute that carries a
// user's role. Every govshare user is enrolled with it as an ecert attribute,
// so it is inside the enrollment certificate and readable by chaincode.
const RoleAttribute = "govshare.role"

// MSP IDs of the consortium's organisations.
const (
	EduMinistryMSP   = "EduMinistryMSP"
	UniversityAMSP   = "UniversityAMSP"
	UniversityBMSP   = "UniversityBMSP"
	FinanceBureauMSP = "FinanceBureauMSP"
	AuditOfficeMSP   = "AuditOfficeMSP"
	InternetCourtMSP = "InternetCourtMSP"
	NotaryOfficeMSP  = "NotaryOfficeMSP"
	OversightMSP     = "OversightMSP"
)

// Values of the govshare.role attribute.
const (
	RoleAdmin         = "admin"
	RoleOfficer       = "officer"
	RoleAccountant    = "accountant"
	RoleRegistrar     = "registrar"
	RoleBudgetOfficer = "budget-officer"
	RoleAuditor       = "auditor"
	RoleClerk         = "clerk"
	RoleJudge         = "judge"
	RoleNotary        = "notary"
	RoleInspector     = "inspector"
)

// Channel names.
const (
	EducationChannel = "education-credit"
	FinanceChannel   = "finance-ledger"
	EvidenceChannel  = "judicial-evidence"
)

// Organization is one organisation of the consortium and the roles its users
// are enrolled with.
type Organization struct {
	MSPID string
	Roles []string
}

// Organizations returns every organisation of the consortium with the roles
// enrolled for it, in the order of docs/conventions.md. It returns a fresh
// slice on every call, so callers may modify it.
func Organizations() []Organization {
	return []Organization{
		{MSPID: EduMinistryMSP, Roles: []string{RoleAdmin, RoleOfficer, RoleAccountant}},
		{MSPID: UniversityAMSP, Roles: []string{RoleAdmin, RoleRegistrar}},
		{MSPID: UniversityBMSP, Roles: []string{RoleAdmin, RoleRegistrar}},
		{MSPID: FinanceBureauMSP, Roles: []string{RoleAdmin, RoleBudgetOfficer}},
		{MSPID: AuditOfficeMSP, Roles: []string{RoleAdmin, RoleAuditor}},
		{MSPID: InternetCourtMSP, Roles: []string{RoleAdmin, RoleClerk, RoleJudge, RoleAccountant}},
		{MSPID: NotaryOfficeMSP, Roles: []string{RoleAdmin, RoleNotary}},
		{MSPID: OversightMSP, Roles: []string{RoleAdmin, RoleInspector}},
	}
}

// ChannelMembers returns the MSP IDs of the organisations that are members of
// channel, or nil for a channel the consortium does not have.
func ChannelMembers(channel string) []string {
	switch channel {
	case EducationChannel:
		return []string{EduMinistryMSP, UniversityAMSP, UniversityBMSP, OversightMSP}
	case FinanceChannel:
		return []string{FinanceBureauMSP, AuditOfficeMSP, EduMinistryMSP, InternetCourtMSP, OversightMSP}
	case EvidenceChannel:
		return []string{InternetCourtMSP, NotaryOfficeMSP, OversightMSP}
	default:
		return nil
	}
}

// ChannelWriters returns the members of channel that may write on it:
// every member but OversightMSP, which reads every channel and writes
// nothing anywhere. It returns nil for a channel the consortium does not
// have.
func ChannelWriters(channel string) []string {
	var writers []string
	for _, msp := range ChannelMembers(channel) {
		if msp != OversightMSP {
			writers = append(writers, msp)
		}
	}
	return writers
}

// StudentCollection returns the name of the private data collection in which
// a university keeps its students' personal data. Its members are the
// university and EduMinistryMSP.
func StudentCollection(universityMSPID string) string {
	return "StudentPII_" + universityMSPID
}

// SealedEvidenceCollection is the private data collection of the
// judicial-evidence channel, shared by InternetCourtMSP and NotaryOfficeMSP.
const SealedEvidenceCollection = "SealedEvidence"

// BaselineCollection is the private data collection of the benchprobe
// chaincode, which only networks made for benchmarks deploy, on the
// channels whose domain contract writes private data, with the same
// members as that contract's (first) collection: against it the load tool
// measures what a private write costs.
const BaselineCollection = "BaselinePrivate"
