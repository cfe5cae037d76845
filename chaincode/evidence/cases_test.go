package evidence_test

import (
	"crypto/sha256"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/evidence"
	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

func TestOpenCase(t *testing.T) {
	f := newFixture(t)
	req := newCase("IC-1")

	kase, err := f.openCase(f.clerk, req)
	require.NoError(t, err)
	assert.Equal(t, evidence.Case{
		CaseID: "IC-1", Court: req.Court, CaseType: req.CaseType, Parties: req.Parties,
		Status: evidence.CaseOpen, OpenedAt: kase.OpenedAt, OpenedBy: kase.OpenedBy,
	}, *kase)
	assert.Equal(t, court, kase.OpenedBy.MSPID, "the opener comes from the certificate")
	assert.Equal(t, consortium.RoleClerk, kase.OpenedBy.Role)
	assert.Contains(t, kase.OpenedBy.ID, "CN=clerk")
	assert.False(t, kase.OpenedAt.IsZero())

	t.Run("stored with the court's and the notary office's key-level policy", func(t *testing.T) {
		key := compositeKey("evd.case", "IC-1")
		var stored evidence.Case
		require.NoError(t, json.Unmarshal(f.l.State(key), &stored))
		assert.Equal(t, *kase, stored)
		orgs, err := foundation.PolicyOrganizations(f.l.ValidationParameter(key))
		require.NoError(t, err)
		assert.Equal(t, []string{court, notaryOffice}, orgs)
	})

	t.Run("party names only in the SealedEvidence collection", func(t *testing.T) {
		var parties evidence.CaseParties
		require.NoError(t, json.Unmarshal(f.l.PrivateState(sealed, compositeKey("evd.parties", "IC-1")), &parties))
		assert.Equal(t, evidence.CaseParties{CaseID: "IC-1", Salt: names(req).Salt, Parties: names(req).Parties}, parties)
		for _, n := range names(req).Parties {
			for _, kv := range f.l.PublicState() {
				assert.NotContains(t, string(kv.Value), n.Name, "public state must not hold party names")
			}
			for _, ev := range f.l.Events() {
				assert.NotContains(t, string(ev.Payload), n.Name, "events must not carry party names")
			}
		}
		key, transient := readerKey(7)
		for _, c := range []*ledgertest.Client{f.clerk, f.judge, f.notary} {
			delivery, err := ledgertest.Eval(c.WithTransient(evidence.TransientReaderKey, []byte(transient)),
				func(ctx ctxT) (*foundation.Delivery, error) { return f.c.GetCaseParties(ctx, "IC-1") })
			require.NoError(t, err)
			response := toJSON(t, delivery) // what a block would hold, had the query been submitted
			for _, n := range parties.Parties {
				assert.NotContains(t, response, n.Name)
			}
			assert.NotContains(t, response, parties.Salt)
			var got evidence.CaseParties
			require.NoError(t, delivery.OpenRecord(key, evidence.PartiesContext("IC-1"), &got))
			assert.Equal(t, parties, got)
		}
	})

	t.Run("names cannot be tested against the private data hash", func(t *testing.T) {
		// Every peer of the channel, and anyone holding the blocks, has the
		// hash of the private value, and the case ID and party references
		// are public: without a secret salt in the value, guessed names
		// would confirm themselves in a few hashes.
		stored := f.l.PrivateState(sealed, compositeKey("evd.parties", "IC-1"))
		onLedger := sha256.Sum256(stored)
		truth := names(req).Parties
		for _, guess := range []any{
			evidence.CaseParties{CaseID: "IC-1", Parties: truth},
			evidence.CaseParties{CaseID: "IC-1", Salt: "", Parties: truth},
			struct {
				CaseID  string               `json:"caseId"`
				Parties []evidence.PartyName `json:"parties"`
			}{"IC-1", truth},
		} {
			guessed := sha256.Sum256([]byte(toJSON(t, guess)))
			assert.NotEqual(t, onLedger, guessed, "the right names, without the salt, must not match the hash on the ledger")
		}
		withSalt := sha256.Sum256([]byte(toJSON(t, evidence.CaseParties{CaseID: "IC-1", Salt: names(req).Salt, Parties: truth})))
		assert.Equal(t, onLedger, withSalt, "only with the secret salt do the names give the hash")
	})

	t.Run("event lists the case and the private write", func(t *testing.T) {
		name, ev := f.lastEvent()
		assert.Equal(t, evidence.EventCaseOpened, name)
		assert.Equal(t, "OpenCase", ev.Function)
		assert.Equal(t, []string{"create evd.case IC-1 InternetCourtMSP,NotaryOfficeMSP", "create SealedEvidence evd.parties IC-1"}, ledgertest.ChangeSummary(ev))
	})
}

func TestOpenCaseRefusals(t *testing.T) {
	f := newFixture(t)
	_, err := f.openCase(f.clerk, newCase("IC-1"))
	require.NoError(t, err)

	valid := newCase("IC-2")
	open := func(c *ledgertest.Client, req evidence.OpenCaseRequest) func() error {
		return func() error { _, err := f.openCase(c, req); return err }
	}
	withNames := func(transient string) func() error {
		return func() error {
			_, err := f.openCaseRaw(f.clerk.WithTransient(evidence.TransientParties, []byte(transient)), toJSON(t, valid))
			return err
		}
	}
	raw := func(request string) func() error {
		return func() error {
			_, err := f.openCaseRaw(f.clerk.WithTransient(evidence.TransientParties, []byte(toJSON(t, names(valid)))), request)
			return err
		}
	}
	modified := func(change func(*evidence.OpenCaseRequest)) evidence.OpenCaseRequest {
		r := newCase("IC-2")
		change(&r)
		return r
	}
	manyParties := modified(func(r *evidence.OpenCaseRequest) {
		r.Parties = nil
		for i := range evidence.MaxParties + 1 {
			r.Parties = append(r.Parties, evidence.Party{Ref: "P" + strings.Repeat("x", i%5) + string(rune('a'+i%26)) + string(rune('a'+i/26)), Role: evidence.PartyOther})
		}
	})

	f.l.RunRefusals(t, []ledgertest.RefusalCase{
		{Name: "judge", Call: open(f.judge, valid), Want: ledgertest.Refused(foundation.ErrAccessDenied, "OpenCase called by InternetCourtMSP with role \"judge\"", `requires role "clerk" in InternetCourtMSP`)},
		{Name: "notary", Call: open(f.notary, valid), Want: ledgertest.Refused(foundation.ErrAccessDenied, "NotaryOfficeMSP")},
		{Name: "clerk role in the notary office", Call: open(f.l.As(notaryOffice, consortium.RoleClerk), valid), Want: ledgertest.Refused(foundation.ErrAccessDenied, "called by NotaryOfficeMSP with role \"clerk\"")},
		{Name: "oversight inspector", Call: open(f.inspector, valid), Want: ledgertest.Refused(foundation.ErrAccessDenied, "OversightMSP")},
		{Name: "court user without role", Call: open(f.l.As(court, ""), valid), Want: ledgertest.Refused(foundation.ErrAccessDenied, "no govshare.role attribute")},
		{Name: "duplicate case", Call: open(f.clerk, newCase("IC-1")), Want: ledgertest.Refused(foundation.ErrAlreadyExists, `case "IC-1" already exists`)},
		{Name: "not JSON", Call: raw(`caseId=IC-2`), Want: ledgertest.Refused(foundation.ErrInvalidInput, "must be a JSON object")},
		{Name: "unknown field", Call: raw(strings.Replace(toJSON(t, valid), `{`, `{"status":"closed",`, 1)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "status: unknown field")},
		{Name: "names in the public request", Call: raw(strings.Replace(toJSON(t, valid), `"role":"plaintiff"`, `"role":"plaintiff","name":"X"`, 1)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "name: unknown field")},
		{Name: "missing fields", Call: raw(`{}`), Want: ledgertest.Refused(foundation.ErrInvalidInput, "caseId: required", "court: required", "parties: must list 1 to 50 parties")},
		{Name: "oversized court name", Call: open(f.clerk, modified(func(r *evidence.OpenCaseRequest) { r.Court = strings.Repeat("c", evidence.MaxNameLength+1) })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "court: must be at most 200 characters")},
		{Name: "too many parties", Call: open(f.clerk, manyParties), Want: ledgertest.Refused(foundation.ErrInvalidInput, "parties: must list 1 to 50 parties")},
		{Name: "same party twice", Call: open(f.clerk, modified(func(r *evidence.OpenCaseRequest) { r.Parties[1].Ref = "P1" })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "parties[1].ref: is used by an earlier party")},
		{Name: "unknown party role", Call: open(f.clerk, modified(func(r *evidence.OpenCaseRequest) { r.Parties[0].Role = "judge" })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "parties[0].role: must be one of plaintiff, defendant, third-party, other")},
		{Name: "malformed case ID", Call: open(f.clerk, modified(func(r *evidence.OpenCaseRequest) { r.CaseID = "IC 2" })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "caseId: must be 1 to 64 characters")},
		{Name: "oversized request", Call: raw(`{"caseId":"IC-2","court":"` + strings.Repeat("c", foundation.MaxRequestBytes) + `"}`), Want: ledgertest.Refused(foundation.ErrInvalidInput, "over the limit")},
		{Name: "names missing", Call: func() error {
			_, err := f.openCaseRaw(f.clerk.WithTransient("other", []byte("x")), toJSON(t, valid))
			return err
		}, Want: ledgertest.Refused(foundation.ErrInvalidInput, `transient "parties"`, "required as transient data")},
		{Name: "names of other parties", Call: withNames(`{"salt":"` + names(valid).Salt + `","parties":[{"ref":"P1","name":"A"},{"ref":"P3","name":"C"}]}`), Want: ledgertest.Refused(foundation.ErrInvalidInput, "must name every party of the request")},
		{Name: "names in another order", Call: withNames(`{"salt":"` + names(valid).Salt + `","parties":[{"ref":"P2","name":"B"},{"ref":"P1","name":"A"}]}`), Want: ledgertest.Refused(foundation.ErrInvalidInput, "in the request's order")},
		{Name: "a name too long", Call: withNames(`{"salt":"` + names(valid).Salt + `","parties":[{"ref":"P1","name":"` + strings.Repeat("n", 201) + `"},{"ref":"P2","name":"B"}]}`), Want: ledgertest.Refused(foundation.ErrInvalidInput, "parties[0].name: must be at most 200 characters")},
		{Name: "names without a salt", Call: withNames(`{"parties":[{"ref":"P1","name":"A"},{"ref":"P2","name":"B"}]}`),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, `transient "parties"`, "salt: required")},
		{Name: "a salt that is not secret", Call: withNames(`{"salt":"` + strings.Repeat("ab", 16) + `","parties":[{"ref":"P1","name":"A"},{"ref":"P2","name":"B"}]}`),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, `transient "parties"`, "salt: is not secret: every byte is the same")},
		{Name: "a salt that is too short", Call: withNames(`{"salt":"` + names(valid).Salt[:30] + `","parties":[{"ref":"P1","name":"A"},{"ref":"P2","name":"B"}]}`),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "salt: must be 16 to 64 bytes")},
		{Name: "names not JSON", Call: withNames(`Alice, Bob`), Want: ledgertest.Refused(foundation.ErrInvalidInput, `transient "parties"`)},
		{Name: "a name field in another case", Call: withNames(`{"parties":[{"ref":"P1","Name":"A"},{"ref":"P2","name":"B"}]}`),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, `transient "parties"`, `parties[0].Name: unknown field; field names are exact: did you mean "name"?`)},
		{Name: "a name given twice", Call: withNames(`{"parties":[{"ref":"P1","name":"A","name":"C"},{"ref":"P2","name":"B"}]}`),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, `parties[0].name: appears more than once`)},
		{Name: "a name with a right-to-left override", Call: withNames(`{"parties":[{"ref":"P1","name":"Jane \u202eExample"},{"ref":"P2","name":"B"}]}`),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "parties[0].name: must not contain invisible formatting, bidirectional control or line separator characters")},
		{Name: "a court name with an isolate", Call: open(f.clerk, modified(func(r *evidence.OpenCaseRequest) { r.Court = "Internet \u2067Court" })),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "court: must not contain invisible formatting")},
		{Name: "a case ID field in another case", Call: raw(strings.Replace(toJSON(t, valid), `"caseId"`, `"caseID"`, 1)),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, `caseID: unknown field; field names are exact: did you mean "caseId"?`)},
		{Name: "names oversized", Call: withNames(`{"parties":[{"ref":"P1","name":"` + strings.Repeat("n", foundation.MaxTransientBytes) + `"}]}`), Want: ledgertest.Refused(foundation.ErrInvalidInput, "over the limit")},
	})

	t.Run("errors never echo a party name", func(t *testing.T) {
		secret := "Very Secret Person"
		_, err := f.openCaseRaw(f.clerk.WithTransient(evidence.TransientParties, []byte(`{"parties":[{"ref":"P1","name":"`+secret+`"},{"ref":"P9","name":"B"}]}`)), toJSON(t, valid))
		require.Error(t, err)
		assert.NotContains(t, err.Error(), secret)
	})
}

func TestCloseAndSealCase(t *testing.T) {
	f := newFixture(t)
	_, err := f.openCase(f.clerk, newCase("IC-1"))
	require.NoError(t, err)

	closed, err := f.closeCase(f.judge, "IC-1", "judgment delivered")
	require.NoError(t, err)
	assert.Equal(t, evidence.CaseClosed, closed.Status)
	require.NotNil(t, closed.Closure)
	assert.Equal(t, "judgment delivered", closed.Closure.Reason)
	assert.Equal(t, consortium.RoleJudge, closed.Closure.By.Role)
	name, ev := f.lastEvent()
	assert.Equal(t, evidence.EventCaseClosed, name)
	assert.Equal(t, []string{"update evd.case IC-1"}, ledgertest.ChangeSummary(ev))

	sealedCase, err := f.sealCase(f.judge, "IC-1", "protection of a minor")
	require.NoError(t, err)
	assert.Equal(t, evidence.CaseSealed, sealedCase.Status)
	assert.Equal(t, closed.Closure, sealedCase.Closure, "the closure is kept")
	require.NotNil(t, sealedCase.Sealing)
	name, _ = f.lastEvent()
	assert.Equal(t, evidence.EventCaseSealed, name)

	t.Run("an open case can be sealed directly", func(t *testing.T) {
		_, err := f.openCase(f.clerk, newCase("IC-2"))
		require.NoError(t, err)
		kase, err := f.sealCase(f.judge, "IC-2", "state secret")
		require.NoError(t, err)
		assert.Equal(t, evidence.CaseSealed, kase.Status)
		assert.Nil(t, kase.Closure)
	})

	t.Run("history has every version, newest first", func(t *testing.T) {
		hist, err := ledgertest.Eval(f.inspector, func(ctx ctxT) (*evidence.History, error) { return f.c.GetCaseHistory(ctx, "IC-1") })
		require.NoError(t, err)
		assert.Equal(t, `case "IC-1"`, hist.Record)
		var statuses []string
		for _, r := range hist.Revisions {
			statuses = append(statuses, r.Record.(*evidence.Case).Status)
		}
		assert.Equal(t, []string{evidence.CaseSealed, evidence.CaseClosed, evidence.CaseOpen}, statuses)
	})
}

func TestCaseDecisionRefusals(t *testing.T) {
	f := newFixture(t)
	for _, id := range []string{"OPEN", "CLOSED", "SEALED"} {
		_, err := f.openCase(f.clerk, newCase(id))
		require.NoError(t, err)
	}
	_, err := f.closeCase(f.judge, "CLOSED", "decided")
	require.NoError(t, err)
	_, err = f.sealCase(f.judge, "SEALED", "sealed")
	require.NoError(t, err)

	closeAs := func(c *ledgertest.Client, id, reason string) func() error {
		return func() error { _, err := f.closeCase(c, id, reason); return err }
	}
	sealAs := func(c *ledgertest.Client, id, reason string) func() error {
		return func() error { _, err := f.sealCase(c, id, reason); return err }
	}
	rawClose := func(request string) func() error {
		return func() error {
			_, err := ledgertest.Call(f.judge, func(ctx ctxT) (*evidence.Case, error) { return f.c.CloseCase(ctx, request) })
			return err
		}
	}
	f.l.RunRefusals(t, []ledgertest.RefusalCase{
		{Name: "clerk closes", Call: closeAs(f.clerk, "OPEN", "x"), Want: ledgertest.Refused(foundation.ErrAccessDenied, `CloseCase called by InternetCourtMSP with role "clerk"; requires role "judge" in InternetCourtMSP`)},
		{Name: "judge role in the notary office closes", Call: closeAs(f.l.As(notaryOffice, consortium.RoleJudge), "OPEN", "x"), Want: ledgertest.Refused(foundation.ErrAccessDenied, "NotaryOfficeMSP")},
		{Name: "notary seals", Call: sealAs(f.notary, "OPEN", "x"), Want: ledgertest.Refused(foundation.ErrAccessDenied, "SealCase called by NotaryOfficeMSP")},
		{Name: "inspector seals", Call: sealAs(f.inspector, "OPEN", "x"), Want: ledgertest.Refused(foundation.ErrAccessDenied, "OversightMSP")},
		{Name: "close a closed case", Call: closeAs(f.judge, "CLOSED", "again"), Want: ledgertest.Refused(foundation.ErrConflict, `case "CLOSED" is already closed`)},
		{Name: "close a sealed case", Call: closeAs(f.judge, "SEALED", "again"), Want: ledgertest.Refused(foundation.ErrConflict, `case "SEALED" is sealed, which is final`)},
		{Name: "seal a sealed case", Call: sealAs(f.judge, "SEALED", "again"), Want: ledgertest.Refused(foundation.ErrConflict, "which is final")},
		{Name: "unknown case", Call: closeAs(f.judge, "NOPE", "x"), Want: ledgertest.Refused(foundation.ErrNotFound, `case "NOPE" not found`)},
		{Name: "no reason", Call: closeAs(f.judge, "OPEN", ""), Want: ledgertest.Refused(foundation.ErrInvalidInput, "reason: required")},
		{Name: "oversized reason", Call: sealAs(f.judge, "OPEN", strings.Repeat("r", evidence.MaxReasonLength+1)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "reason: must be at most 500 characters")},
		{Name: "malformed request", Call: rawClose(`{"caseId":"OPEN","reason":"x","caseId":"CLOSED"}`), Want: ledgertest.Refused(foundation.ErrInvalidInput, "caseId: appears more than once")},
	})
}

func TestCaseSummary(t *testing.T) {
	f := newFixture(t)
	_, err := f.openCase(f.clerk, newCase("IC-1"))
	require.NoError(t, err)
	_, err = f.openCase(f.clerk, newCase("IC-2"))
	require.NoError(t, err)
	var want []string
	for _, id := range []string{"EV-05", "EV-01", "EV-04", "EV-02", "EV-03"} {
		_, err := f.submit(f.clerk, newExhibit(id, "IC-1", "content of "+id))
		require.NoError(t, err)
	}
	want = []string{"EV-01", "EV-02", "EV-03", "EV-04", "EV-05"}
	_, err = f.submit(f.notary, newExhibit("OTHER-1", "IC-2", "other case"))
	require.NoError(t, err)
	_, err = f.notarise(f.notary, "EV-02", "attested")
	require.NoError(t, err)

	var got []string
	bookmark := ""
	pages := 0
	for {
		s, err := f.summary(f.inspector, "IC-1", 2, bookmark)
		require.NoError(t, err)
		assert.Equal(t, "IC-1", s.Case.CaseID)
		pages++
		for _, e := range s.Evidence {
			got = append(got, e.EvidenceID)
			assert.Equal(t, court, e.SubmitterMSP)
			assert.Equal(t, digestOf([]byte("content of "+e.EvidenceID)), e.ContentSHA256)
			assert.Equal(t, e.EvidenceID == "EV-02", e.Notarisations == 1)
		}
		if s.Bookmark == "" {
			break
		}
		bookmark = s.Bookmark
	}
	assert.Equal(t, want, got, "every item of the case, once, in evidence ID order")
	assert.Equal(t, 3, pages)

	t.Run("a case without evidence", func(t *testing.T) {
		_, err := f.openCase(f.clerk, newCase("IC-3"))
		require.NoError(t, err)
		s, err := f.summary(f.notary, "IC-3", 0, "")
		require.NoError(t, err)
		assert.Empty(t, s.Evidence)
		assert.Empty(t, s.Bookmark)
	})

	summaryOf := func(c *ledgertest.Client, caseID string, pageSize int32, bookmark string) func() error {
		return func() error { _, err := f.summary(c, caseID, pageSize, bookmark); return err }
	}
	first, err := f.summary(f.inspector, "IC-2", 1, "")
	require.NoError(t, err)
	f.l.RunRefusals(t, []ledgertest.RefusalCase{
		{Name: "unknown case", Call: summaryOf(f.inspector, "NOPE", 0, ""), Want: ledgertest.Refused(foundation.ErrNotFound, `case "NOPE" not found`)},
		{Name: "not a channel member", Call: summaryOf(f.l.As(consortium.EduMinistryMSP, consortium.RoleOfficer), "IC-1", 0, ""), Want: ledgertest.Refused(foundation.ErrAccessDenied, "GetCaseSummary called by EduMinistryMSP")},
		{Name: "negative page size", Call: summaryOf(f.inspector, "IC-1", -1, ""), Want: ledgertest.Refused(foundation.ErrInvalidInput, "pageSize")},
		{Name: "bookmark of another case", Call: summaryOf(f.inspector, "IC-1", 1, first.Bookmark+"x"), Want: ledgertest.Refused(foundation.ErrInvalidInput, "bookmark")},
		{Name: "malformed case ID", Call: summaryOf(f.inspector, "IC 1", 0, ""), Want: ledgertest.Refused(foundation.ErrInvalidInput, "caseId")},
	})
}

func TestCasePartiesAccess(t *testing.T) {
	f := newFixture(t)
	_, err := f.openCase(f.clerk, newCase("IC-1"))
	require.NoError(t, err)
	_, transient := readerKey(8)
	withKey := func(c *ledgertest.Client) *ledgertest.Client {
		return c.WithTransient(evidence.TransientReaderKey, []byte(transient))
	}
	parties := func(c *ledgertest.Client, caseID string) func() error {
		return func() error {
			_, err := ledgertest.Eval(c, func(ctx ctxT) (*foundation.Delivery, error) { return f.c.GetCaseParties(ctx, caseID) })
			return err
		}
	}
	f.l.RunRefusals(t, []ledgertest.RefusalCase{
		{Name: "inspector", Call: parties(withKey(f.inspector), "IC-1"), Want: ledgertest.Refused(foundation.ErrAccessDenied, `GetCaseParties called by OversightMSP`, `role "clerk" in InternetCourtMSP, or role "judge" in InternetCourtMSP, or role "notary" in NotaryOfficeMSP`)},
		{Name: "court accountant", Call: parties(withKey(f.l.As(court, consortium.RoleAccountant)), "IC-1"), Want: ledgertest.Refused(foundation.ErrAccessDenied, `role "accountant"`)},
		{Name: "unknown case", Call: parties(withKey(f.judge), "NOPE"), Want: ledgertest.Refused(foundation.ErrNotFound, `parties of case "NOPE" not found`)},
		{Name: "malformed case ID", Call: parties(withKey(f.judge), ""), Want: ledgertest.Refused(foundation.ErrInvalidInput, "caseId: required")},
		{Name: "no reader key", Call: parties(f.judge, "IC-1"), Want: ledgertest.Refused(foundation.ErrInvalidInput, `transient "readerKey"`, "required as transient data")},
		{Name: "a reader key that is not secret", Call: parties(f.judge.WithTransient(evidence.TransientReaderKey, []byte(`{"key":"`+strings.Repeat("01", 32)+`"}`)), "IC-1"),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "key: is not secret")},
	})
}
