package evidence_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/evidence"
	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

func TestNotariseEvidence(t *testing.T) {
	f := newFixture(t)
	ex := newExhibit("EV-1", "IC-1", "content")
	f.openCaseWithExhibit("IC-1", ex)

	n, err := f.notarise(f.notary, "EV-1", "captured in my presence, notarial record 2025-117")
	require.NoError(t, err)
	assert.Equal(t, evidence.Notarisation{
		EvidenceID: "EV-1", Sequence: 1, ContentSHA256: ex.req.ContentSHA256,
		Statement: "captured in my presence, notarial record 2025-117", Notary: n.Notary, NotarisedAt: n.NotarisedAt,
	}, *n)
	assert.Equal(t, notaryOffice, n.Notary.MSPID)
	assert.Contains(t, n.Notary.ID, "CN=notary")
	name, ev := f.lastEvent()
	assert.Equal(t, evidence.EventEvidenceNotarised, name)
	assert.Equal(t, []string{"put evd.notarisation EV-1/0000000001 InternetCourtMSP,NotaryOfficeMSP", "update evd.evidence IC-1/EV-1"}, ledgertest.ChangeSummary(ev))

	t.Run("a closed case's evidence can still be attested", func(t *testing.T) {
		_, err := f.closeCase(f.judge, "IC-1", "decided")
		require.NoError(t, err)
		n2, err := f.notarise(f.notary, "EV-1", "second attestation")
		require.NoError(t, err)
		assert.Equal(t, 2, n2.Sequence)
	})

	list, err := ledgertest.Eval(f.inspector, func(ctx ctxT) (*evidence.NotarisationList, error) { return f.c.GetNotarisations(ctx, "EV-1") })
	require.NoError(t, err)
	require.Len(t, list.Notarisations, 2)
	assert.Equal(t, []int{1, 2}, []int{list.Notarisations[0].Sequence, list.Notarisations[1].Sequence})

	notarise := func(c *ledgertest.Client, id, statement string) func() error {
		return func() error { _, err := f.notarise(c, id, statement); return err }
	}
	f.l.RunRefusals(t, []ledgertest.RefusalCase{
		{Name: "clerk", Call: notarise(f.clerk, "EV-1", "x"), Want: ledgertest.Refused(foundation.ErrAccessDenied, `NotariseEvidence called by InternetCourtMSP with role "clerk"; requires role "notary" in NotaryOfficeMSP`)},
		{Name: "notary role in the court", Call: notarise(f.l.As(court, consortium.RoleNotary), "EV-1", "x"), Want: ledgertest.Refused(foundation.ErrAccessDenied, `InternetCourtMSP with role "notary"`)},
		{Name: "notary office admin", Call: notarise(f.l.As(notaryOffice, consortium.RoleAdmin), "EV-1", "x"), Want: ledgertest.Refused(foundation.ErrAccessDenied, `role "admin"`)},
		{Name: "inspector", Call: notarise(f.inspector, "EV-1", "x"), Want: ledgertest.Refused(foundation.ErrAccessDenied, "OversightMSP")},
		{Name: "unknown evidence", Call: notarise(f.notary, "EV-404", "x"), Want: ledgertest.Refused(foundation.ErrNotFound, `evidence "EV-404" not found`)},
		{Name: "no statement", Call: notarise(f.notary, "EV-1", ""), Want: ledgertest.Refused(foundation.ErrInvalidInput, "statement: required")},
		{Name: "statement too long", Call: notarise(f.notary, "EV-1", strings.Repeat("s", evidence.MaxStatementLength+1)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "statement: must be at most 2000 characters")},
		{Name: "malformed request", Call: func() error {
			_, err := ledgertest.Call(f.notary, func(ctx ctxT) (*evidence.Notarisation, error) {
				return f.c.NotariseEvidence(ctx, `{"evidenceId":"EV-1","statement":"x"`)
			})
			return err
		}, Want: ledgertest.Refused(foundation.ErrInvalidInput, "malformed JSON")},
	})

	t.Run("at most MaxNotarisations attestations", func(t *testing.T) {
		for i := 3; i <= evidence.MaxNotarisations; i++ {
			_, err := f.notarise(f.notary, "EV-1", "again")
			require.NoError(t, err)
		}
		f.l.RequireRefused(t, ledgertest.Refused(foundation.ErrConflict, `evidence "EV-1" has 100 notarisations, the limit`), notarise(f.notary, "EV-1", "one more"))
	})
}

func TestCustodyChain(t *testing.T) {
	f := newFixture(t)
	f.openCaseWithExhibit("IC-1", newExhibit("EV-1", "IC-1", "content"))
	steps := []struct {
		c   *ledgertest.Client
		req evidence.CustodyEventRequest
	}{
		{f.clerk, evidence.CustodyEventRequest{EvidenceID: "EV-1", Action: evidence.CustodyReceived, Counterparty: "plaintiff's counsel"}},
		{f.clerk, evidence.CustodyEventRequest{EvidenceID: "EV-1", Action: evidence.CustodyTransferred, Counterparty: "forensic laboratory", Note: "sealed bag 17"}},
		{f.notary, evidence.CustodyEventRequest{EvidenceID: "EV-1", Action: evidence.CustodyExamined, Note: "hash recomputed, matches"}},
		{f.clerk, evidence.CustodyEventRequest{EvidenceID: "EV-1", Action: evidence.CustodyReturned, Counterparty: "plaintiff's counsel"}},
	}
	for i, s := range steps {
		event, err := f.custody(s.c, s.req)
		require.NoError(t, err)
		assert.Equal(t, i+1, event.Sequence)
		name, ev := f.lastEvent()
		assert.Equal(t, evidence.EventCustodyEventRecorded, name)
		assert.Equal(t, []string{fmt.Sprintf("put evd.custody EV-1/%010d InternetCourtMSP,NotaryOfficeMSP", i+1), "update evd.evidence IC-1/EV-1"}, ledgertest.ChangeSummary(ev))
	}

	chain, err := ledgertest.Eval(f.inspector, func(ctx ctxT) (*evidence.CustodyChain, error) { return f.c.GetCustodyChain(ctx, "EV-1") })
	require.NoError(t, err)
	require.Len(t, chain.Events, len(steps))
	for i, e := range chain.Events {
		assert.Equal(t, i+1, e.Sequence, "in ledger order")
		assert.Equal(t, steps[i].req.Action, e.Action)
		assert.Equal(t, steps[i].req.Counterparty, e.Counterparty)
		assert.Equal(t, steps[i].req.Note, e.Note)
		assert.Equal(t, steps[i].c == f.notary, e.Actor.MSPID == notaryOffice, "the actor comes from the certificate")
		if i > 0 {
			assert.True(t, e.At.After(chain.Events[i-1].At), "times follow the transactions")
		}
	}

	record := func(c *ledgertest.Client, req evidence.CustodyEventRequest) func() error {
		return func() error { _, err := f.custody(c, req); return err }
	}
	ok := evidence.CustodyEventRequest{EvidenceID: "EV-1", Action: evidence.CustodyExamined}
	f.l.RunRefusals(t, []ledgertest.RefusalCase{
		{Name: "judge", Call: record(f.judge, ok), Want: ledgertest.Refused(foundation.ErrAccessDenied, `RecordCustodyEvent called by InternetCourtMSP with role "judge"`)},
		{Name: "inspector", Call: record(f.inspector, ok), Want: ledgertest.Refused(foundation.ErrAccessDenied, "OversightMSP")},
		{Name: "clerk role in the notary office", Call: record(f.l.As(notaryOffice, consortium.RoleClerk), ok), Want: ledgertest.Refused(foundation.ErrAccessDenied, "NotaryOfficeMSP")},
		{Name: "unknown evidence", Call: record(f.clerk, evidence.CustodyEventRequest{EvidenceID: "EV-404", Action: evidence.CustodyExamined}), Want: ledgertest.Refused(foundation.ErrNotFound, `evidence "EV-404" not found`)},
		{Name: "unknown action", Call: record(f.clerk, evidence.CustodyEventRequest{EvidenceID: "EV-1", Action: "destroyed"}), Want: ledgertest.Refused(foundation.ErrInvalidInput, "action: must be one of received, examined, transferred, returned")},
		{Name: "transfer without counterparty", Call: record(f.clerk, evidence.CustodyEventRequest{EvidenceID: "EV-1", Action: evidence.CustodyTransferred}), Want: ledgertest.Refused(foundation.ErrInvalidInput, "counterparty: required")},
		{Name: "note too long", Call: record(f.clerk, evidence.CustodyEventRequest{EvidenceID: "EV-1", Action: evidence.CustodyExamined, Note: strings.Repeat("n", evidence.MaxReasonLength+1)}), Want: ledgertest.Refused(foundation.ErrInvalidInput, "note: must be at most 500 characters")},
		{Name: "actor in the request", Call: func() error {
			_, err := ledgertest.Call(f.clerk, func(ctx ctxT) (*evidence.CustodyEvent, error) {
				return f.c.RecordCustodyEvent(ctx, `{"evidenceId":"EV-1","action":"examined","actor":"NotaryOfficeMSP"}`)
			})
			return err
		}, Want: ledgertest.Refused(foundation.ErrInvalidInput, "actor: unknown field")},
	})

	t.Run("the chain stops at MaxCustodyEvents", func(t *testing.T) {
		for i := len(steps); i < evidence.MaxCustodyEvents; i++ {
			_, err := f.custody(f.clerk, ok)
			require.NoError(t, err)
		}
		f.l.RequireRefused(t, ledgertest.Refused(foundation.ErrConflict, "has 1000 custody events, the limit"), record(f.clerk, ok))
		chain, err := ledgertest.Eval(f.inspector, func(ctx ctxT) (*evidence.CustodyChain, error) { return f.c.GetCustodyChain(ctx, "EV-1") })
		require.NoError(t, err)
		require.Len(t, chain.Events, evidence.MaxCustodyEvents)
		for i, e := range chain.Events {
			require.Equal(t, i+1, e.Sequence, "zero-padded sequence numbers keep ledger order past 9, 99 and 999")
		}
	})

	t.Run("queries of an unknown item", func(t *testing.T) {
		_, err := ledgertest.Eval(f.inspector, func(ctx ctxT) (*evidence.CustodyChain, error) { return f.c.GetCustodyChain(ctx, "EV-404") })
		assert.ErrorIs(t, err, foundation.ErrNotFound)
		_, err = ledgertest.Eval(f.inspector, func(ctx ctxT) (*evidence.NotarisationList, error) { return f.c.GetNotarisations(ctx, "") })
		assert.ErrorIs(t, err, foundation.ErrInvalidInput)
	})
}
