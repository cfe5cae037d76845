package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/evidence"
	govclient "github.com/govshare/govshare/gateway-client"
)

// evidence plays the judicial-evidence part of the demo: the court opens a
// case and submits a file as sealed evidence, the notary office attests
// it, its handling is recorded, a judge grants the notary office access,
// the notary reads the content (logged), and the oversight body verifies
// the file and a tampered copy by hash. Party names and sealed content are
// never printed.
func (d *demo) evidence(ctx context.Context) error {
	const channel = consortium.EvidenceChannel
	var clerk, judge, notary, inspector *govclient.Evidence
	for _, r := range []struct {
		org, role string
		view      **govclient.Evidence
	}{
		{"InternetCourt", consortium.RoleClerk, &clerk}, {"InternetCourt", consortium.RoleJudge, &judge},
		{"NotaryOffice", consortium.RoleNotary, &notary}, {"Oversight", consortium.RoleInspector, &inspector},
	} {
		s, err := d.as(r.org, r.role)
		if err != nil {
			return err
		}
		*r.view = s.Evidence()
	}
	caseID, evidenceID, requestID := "IC-"+d.run, "EV-"+d.run, "AR-"+d.run

	d.say("The internet court's clerk opens case %s", caseID)
	kase, r, err := clerk.OpenCase(ctx, evidence.OpenCaseRequest{
		CaseID: caseID, Court: "Internet Court of Example City", CaseType: "online contract dispute",
		Parties: []evidence.Party{{Ref: "P1", Role: evidence.PartyPlaintiff}, {Ref: "P2", Role: evidence.PartyDefendant}},
	}, evidence.PartyNames{Parties: []evidence.PartyName{{Ref: "P1", Name: "Example Trading Ltd"}, {Ref: "P2", Name: "Jane Example"}}})
	if err != nil {
		return err
	}
	d.detail("case %s is %s; the ledger knows the parties as P1 (plaintiff) and P2 (defendant), their names go to the court's and the notary office's private collection", kase.CaseID, kase.Status)
	d.committed(channel, r)

	dir, err := os.MkdirTemp("", "govshare-demo-evidence-")
	if err != nil {
		return fmt.Errorf("make a folder for the demo's evidence files: %w", err)
	}
	defer os.RemoveAll(dir)
	chat := filepath.Join(dir, "chat-"+d.run+".txt")
	tampered := filepath.Join(dir, "chat-"+d.run+"-edited.txt")
	content := "Chat export, run " + d.run + "\nseller: the price of 1,200 is final, delivery within 5 days\nbuyer: agreed\n"
	if err := os.WriteFile(chat, []byte(content), 0o600); err != nil {
		return fmt.Errorf("write the demo evidence file: %w", err)
	}
	if err := os.WriteFile(tampered, []byte(strings.Replace(content, "1,200", "1,000", 1)), 0o600); err != nil {
		return fmt.Errorf("write the tampered copy: %w", err)
	}

	d.say("The clerk submits %s as evidence %s, its content sealed", filepath.Base(chat), evidenceID)
	submitted, r, err := clerk.SubmitEvidenceFile(ctx, evidence.SubmitEvidenceRequest{
		EvidenceID: evidenceID, CaseID: caseID, MediaType: "text/plain", Description: "chat transcript exported from the platform",
		Provenance: evidence.ProvenanceInput{Tool: "WebCapture 3.2", CapturedAt: time.Now().UTC().Add(-time.Hour).Format(time.RFC3339),
			Source: "https://chat.example/thread/17"},
	}, chat)
	if err != nil {
		return err
	}
	d.detail("on the ledger: SHA-256 %s..., %d bytes, submitted by %s; the content itself went as transient data to the private collection",
		submitted.ContentSHA256[:16], submitted.SizeBytes, who(submitted.SubmittedBy))
	d.committed(channel, r)

	d.say("The notary office's notary attests the evidence")
	n, r, err := notary.NotariseEvidence(ctx, evidence.NotariseRequest{EvidenceID: evidenceID, Statement: "export captured in my presence, notarial record " + d.run})
	if err != nil {
		return err
	}
	d.detail("notarisation #%d by %s", n.Sequence, who(n.Notary))
	d.committed(channel, r)

	d.say("The clerk records that the court received the evidence from the plaintiff's counsel")
	event, r, err := clerk.RecordCustodyEvent(ctx, evidence.CustodyEventRequest{EvidenceID: evidenceID, Action: evidence.CustodyReceived, Counterparty: "plaintiff's counsel"})
	if err != nil {
		return err
	}
	d.detail("custody event #%d: %s by %s", event.Sequence, event.Action, who(event.Actor))
	d.committed(channel, r)

	d.say("The clerk records a request for the notary to read the sealed content; a judge grants it for one hour")
	me, err := notary.WhoAmI(ctx)
	if err != nil {
		return err
	}
	ar, r, err := clerk.RequestAccess(ctx, evidence.AccessRequestRequest{
		RequestID: requestID, EvidenceID: evidenceID, Grantee: evidence.Grantee{MSPID: me.MSPID, ID: me.ID}, Purpose: "the notary office reviews the capture",
	})
	if err != nil {
		return err
	}
	d.detail("access request %s for %s %s: %s", ar.RequestID, me.MSPID, me.Role, ar.Status)
	d.committed(channel, r)
	ar, r, err = judge.GrantAccess(ctx, evidence.GrantAccessRequest{
		RequestID: requestID, ExpiresAt: time.Now().UTC().Add(time.Hour).Format(time.RFC3339), Reason: "review of the capture before the hearing",
	})
	if err != nil {
		return err
	}
	d.detail("%s by %s until %s", ar.Status, who(ar.Grant.By), shortTime(ar.Grant.ExpiresAt))
	d.committed(channel, r)

	d.say("The notary opens the sealed content: first the opening is logged on the ledger, then the notary office's peer delivers it under a one-time key")
	sealed, r, err := notary.ReadSealed(ctx, requestID)
	if err != nil {
		return err
	}
	defer clear(sealed.Data)
	if string(sealed.Data) != content {
		return fmt.Errorf("the notary read sealed content that is not the file the clerk submitted")
	}
	d.committed(channel, r)
	d.detail("read %d bytes of sealed %s; they hash to the SHA-256 on the ledger (content not shown here)", len(sealed.Data), sealed.SealedAs)
	log, err := inspector.GetAccessLog(ctx, evidenceID, 0, "")
	if err != nil {
		return err
	}
	d.detail("the access log of %s, as Oversight reads it:", evidenceID)
	for i := range log.Entries {
		printAccessLogEntry(indent{d.w}, &log.Entries[i])
	}

	d.say("Oversight verifies the file by its hash, and a copy with one figure changed")
	for _, f := range []string{chat, tampered} {
		hash, err := govclient.HashFile(ctx, f, nil)
		if err != nil {
			return err
		}
		v, err := inspector.VerifyEvidenceByHash(ctx, hash)
		if err != nil {
			return err
		}
		d.detail("%s:", filepath.Base(f))
		printVerification(indent{d.w}, v)
		if v.Found != (f == chat) {
			return fmt.Errorf("verifying %s by hash: found is %t, and it should not be", filepath.Base(f), v.Found)
		}
	}
	return nil
}
