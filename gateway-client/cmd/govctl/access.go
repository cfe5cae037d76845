package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/evidence"
	govclient "github.com/govshare/govshare/gateway-client"
)

// accessCommand is the access group on the judicial-evidence channel:
// request, grant, deny, revoke, show, open (access_open.go) and log.
func (a *app) accessCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "access",
		Short: "Access to sealed content: request (court clerk), grant, deny, revoke (judge), open (the grantee), the log",
		Long: `Sealed content is opened only by the holder of a judge's current grant, and every
opening is recorded on the ledger first. A clerk records a request for a
grantee: an identity of the court or the notary office, named by the MSP ID
and certificate identity that "govctl whoami" prints for it. A judge grants it
until an expiry, or denies it, and may revoke a grant. The grantee then runs
"access open", which records the opening and writes the content to a file.
Everyone on the channel, Oversight included, reads the access log.`,
	}

	var req evidence.AccessRequestRequest
	request := &cobra.Command{
		Use: "request", Short: "Record a request for access to an evidence item's sealed content (court clerk)", Args: cobra.NoArgs,
		Example: `  govctl --org NotaryOffice --as notary whoami     # the grantee prints its identity
  govctl --org InternetCourt --as clerk access request --id AR-0001 --evidence EV-0001 \
    --grantee-msp NotaryOfficeMSP --grantee-id "x509::CN=notary,OU=client::CN=ca.notary-office" \
    --purpose "the notary office reviews the capture"`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := requireFlags(cmd, "id", "evidence", "grantee-msp", "grantee-id", "purpose"); err != nil {
				return err
			}
			req.Grantee.MSPID = mspID(req.Grantee.MSPID)
			return write(a, cmd, consortium.RoleClerk, "request access "+req.RequestID, func(ctx context.Context, s *govclient.Session) (*evidence.AccessRequest, *govclient.Result, error) {
				return s.Evidence().RequestAccess(ctx, req)
			}, printAccessRequest)
		},
	}
	request.Flags().StringVar(&req.RequestID, "id", "", "the request's ID, e.g. AR-0001")
	request.Flags().StringVar(&req.EvidenceID, "evidence", "", "the evidence item")
	request.Flags().StringVar(&req.Grantee.MSPID, "grantee-msp", "", "the grantee's organisation: InternetCourtMSP or NotaryOfficeMSP")
	request.Flags().StringVar(&req.Grantee.ID, "grantee-id", "", "the grantee's certificate identity, as its govctl whoami prints it")
	request.Flags().StringVar(&req.Purpose, "purpose", "", "what the access is for")

	var until string
	var forDuration time.Duration
	var grantReason string
	grant := &cobra.Command{
		Use: "grant REQUEST_ID", Short: "Grant a pending request until an expiry (judge)", Args: cobra.ExactArgs(1),
		Example: `  govctl --org InternetCourt --as judge access grant AR-0001 --for 72h --reason "needed for the hearing"
  govctl --org InternetCourt --as judge access grant AR-0001 --until 2026-03-15T17:00:00Z`,
		RunE: func(cmd *cobra.Command, args []string) error {
			expires, err := expiry(until, forDuration, time.Now())
			if err != nil {
				return err
			}
			return write(a, cmd, consortium.RoleJudge, "grant "+args[0], func(ctx context.Context, s *govclient.Session) (*evidence.AccessRequest, *govclient.Result, error) {
				return s.Evidence().GrantAccess(ctx, evidence.GrantAccessRequest{RequestID: args[0], ExpiresAt: expires, Reason: grantReason})
			}, printAccessRequest)
		},
	}
	grant.Flags().StringVar(&until, "until", "", "the grant expires at this time, RFC 3339")
	grant.Flags().DurationVar(&forDuration, "for", 0, "the grant expires this long from now, e.g. 72h (at most 90 days)")
	grant.Flags().StringVar(&grantReason, "reason", "", "why (recorded on the ledger)")

	cmd.AddCommand(judgeDecisions(a, "REQUEST_ID", "", func(id, reason string) evidence.AccessDecisionRequest {
		return evidence.AccessDecisionRequest{RequestID: id, Reason: reason}
	}, printAccessRequest, []judgeDecision[evidence.AccessDecisionRequest, evidence.AccessRequest]{
		{"deny", "Deny a pending request (judge)",
			`  govctl --org InternetCourt --as judge access deny AR-0001 --reason "the purpose does not need the content"`, (*govclient.Evidence).DenyAccess},
		{"revoke", "Revoke a grant: from now on the grantee can no longer open the content (judge)",
			`  govctl --org InternetCourt --as judge access revoke AR-0001 --reason "review finished"`, (*govclient.Evidence).RevokeAccess},
	})...)

	show := &cobra.Command{
		Use: "show REQUEST_ID", Short: "An access request with its decisions", Args: cobra.ExactArgs(1),
		Example: "  govctl --org InternetCourt access show AR-0001",
		RunE: func(cmd *cobra.Command, args []string) error {
			return query(a, cmd, func(ctx context.Context, s *govclient.Session) (*evidence.AccessRequest, error) {
				return s.Evidence().GetAccessRequest(ctx, args[0])
			}, printAccessRequest)
		},
	}

	var pageSize int32
	var bookmark string
	log := &cobra.Command{
		Use: "log EVIDENCE_ID", Short: "Who opened an evidence item's sealed content, when, under which grant", Args: cobra.ExactArgs(1),
		Example: "  govctl --org Oversight --as inspector access log EV-0001",
		RunE: func(cmd *cobra.Command, args []string) error {
			return query(a, cmd, func(ctx context.Context, s *govclient.Session) (*evidence.AccessLogPage, error) {
				return s.Evidence().GetAccessLog(ctx, args[0], pageSize, bookmark)
			}, printAccessLog)
		},
	}
	pageFlags(log, "entries", &pageSize, &bookmark)

	cmd.AddCommand(request, grant, show, a.accessOpenCommand(), log)
	return cmd
}

// expiry returns a grant's expiry from --until or --for (one of the two).
func expiry(until string, d time.Duration, now time.Time) (string, error) {
	switch {
	case (until == "") == (d == 0):
		return "", usagef("say when the grant expires with --until TIME or --for DURATION, one of the two")
	case d < 0:
		return "", usagef("--for %s: a grant cannot expire in the past", d)
	case d > 0:
		return now.Add(d).UTC().Format(time.RFC3339), nil
	}
	return timeFlag("until", until)
}

func printAccessRequest(w io.Writer, r *evidence.AccessRequest) {
	fmt.Fprintf(w, "access request %s for evidence %s (case %s): %s\n", r.RequestID, r.EvidenceID, r.CaseID, r.Status)
	fmt.Fprintf(w, "  grantee %s %s\n", r.Grantee.MSPID, r.Grantee.ID)
	fmt.Fprintf(w, "  purpose %q; requested by %s on %s\n", r.Purpose, who(r.RequestedBy), shortTime(r.RequestedAt))
	if g := r.Grant; g != nil {
		fmt.Fprintf(w, "  granted by %s on %s until %s", who(g.By), shortTime(g.At), shortTime(g.ExpiresAt))
		if g.Reason != "" {
			fmt.Fprintf(w, ": %s", g.Reason)
		}
		fmt.Fprintln(w)
	}
	printDecision(w, "denied", r.Denial)
	printDecision(w, "revoked", r.Revocation)
}

func printAccessLogEntry(w io.Writer, e *evidence.AccessLogEntry) {
	fmt.Fprintf(w, "  #%d %s  opened by %s under access request %s, transaction %s\n", e.Sequence, shortTime(e.OpenedAt), who(e.Reader), e.RequestID, e.TxID)
}

func printAccessLog(w io.Writer, p *evidence.AccessLogPage) {
	fmt.Fprintf(w, "access log of evidence %s, %d on this page:\n", p.EvidenceID, len(p.Entries))
	for i := range p.Entries {
		printAccessLogEntry(w, &p.Entries[i])
	}
	if p.Bookmark != "" {
		fmt.Fprintf(w, "more on the next page: --bookmark %s\n", p.Bookmark)
	}
}
