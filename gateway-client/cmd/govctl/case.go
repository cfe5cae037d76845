package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/evidence"
	govclient "github.com/govshare/govshare/gateway-client"
)

// caseCommand is the case group on the judicial-evidence channel: open,
// close, seal, show and parties.
func (a *app) caseCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "case",
		Short: "Court cases: open (court clerk), close and seal (judge), summaries (everyone)",
		Long: `A court clerk opens a case before evidence can be submitted to it. The ledger
knows the parties only by a reference and their role; their names go to the
private collection of the court and the notary office. A judge closes a case (no
more evidence) or seals it (no more evidence, and its sealed content can no
longer be opened by anyone). Everyone on the judicial-evidence channel,
Oversight included, reads a case's public summary.`,
	}

	var req evidence.OpenCaseRequest
	var parties []string
	open := &cobra.Command{
		Use: "open", Short: "Open a case", Args: cobra.NoArgs,
		Example: `  govctl --org InternetCourt --as clerk case open --id IC-2026-0042 \
    --court "Internet Court of Example City" --type "online contract dispute" \
    --party "P1:plaintiff:Example Trading Ltd" --party "P2:defendant:Jane Example"`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := requireFlags(cmd, "id", "court", "type", "party"); err != nil {
				return err
			}
			var names evidence.PartyNames
			var err error
			if req.Parties, names, err = partyFlags(parties); err != nil {
				return err
			}
			return write(a, cmd, consortium.RoleClerk, "open case "+req.CaseID, func(ctx context.Context, s *govclient.Session) (*evidence.Case, *govclient.Result, error) {
				return s.Evidence().OpenCase(ctx, req, names)
			}, printCase)
		},
	}
	open.Flags().StringVar(&req.CaseID, "id", "", "the case's ID, e.g. IC-2026-0042")
	open.Flags().StringVar(&req.Court, "court", "", "the court hearing the case")
	open.Flags().StringVar(&req.CaseType, "type", "", "the type of case, e.g. \"online contract dispute\"")
	open.Flags().StringArrayVar(&parties, "party", nil, "a party as REF:ROLE:NAME, once per party; ROLE is plaintiff, defendant, third-party or other; the name stays private")

	cmd.AddCommand(judgeDecisions(a, "CASE_ID", "case ", func(id, reason string) evidence.CaseDecisionRequest {
		return evidence.CaseDecisionRequest{CaseID: id, Reason: reason}
	}, printCase, []judgeDecision[evidence.CaseDecisionRequest, evidence.Case]{
		{"close", "Close an open case: no more evidence can be submitted (judge)",
			`  govctl --org InternetCourt --as judge case close IC-2026-0042 --reason "judgment delivered"`, (*govclient.Evidence).CloseCase},
		{"seal", "Seal a case for good: no more evidence, and no one can open its sealed content (judge)",
			`  govctl --org InternetCourt --as judge case seal IC-2026-0042 --reason "minors involved"`, (*govclient.Evidence).SealCase},
	})...)

	var pageSize int32
	var bookmark string
	show := &cobra.Command{
		Use: "show CASE_ID", Short: "A case and one page of its evidence: public metadata only", Args: cobra.ExactArgs(1),
		Example: `  govctl --org Oversight --as inspector case show IC-2026-0042
  govctl --org InternetCourt case show IC-2026-0042 --page-size 50 --bookmark <from the previous page>`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return query(a, cmd, func(ctx context.Context, s *govclient.Session) (*evidence.CaseSummary, error) {
				return s.Evidence().GetCaseSummary(ctx, args[0], pageSize, bookmark)
			}, printCaseSummary)
		},
	}
	pageFlags(show, "evidence items", &pageSize, &bookmark)

	partiesCmd := &cobra.Command{
		Use: "parties CASE_ID", Short: "The names of a case's parties, from the private collection (court clerk or judge, notary)", Args: cobra.ExactArgs(1),
		Example: "  govctl --org InternetCourt --as judge case parties IC-2026-0042",
		RunE: func(cmd *cobra.Command, args []string) error {
			return query(a, cmd, func(ctx context.Context, s *govclient.Session) (*evidence.CaseParties, error) {
				return s.Evidence().GetCaseParties(ctx, args[0])
			}, func(w io.Writer, p *evidence.CaseParties) {
				fmt.Fprintf(w, "parties of case %s:\n", p.CaseID)
				for _, n := range p.Parties {
					fmt.Fprintf(w, "  %-8s %s\n", n.Ref, n.Name)
				}
			})
		},
	}
	cmd.AddCommand(open, show, partiesCmd)
	return cmd
}

// partyFlags reads --party REF:ROLE:NAME values into the public parties of
// a case and their private names.
func partyFlags(values []string) ([]evidence.Party, evidence.PartyNames, error) {
	parties := make([]evidence.Party, 0, len(values))
	names := evidence.PartyNames{Parties: make([]evidence.PartyName, 0, len(values))}
	for _, v := range values {
		fields := strings.SplitN(v, ":", 3)
		if len(fields) != 3 || fields[0] == "" || fields[1] == "" || strings.TrimSpace(fields[2]) == "" {
			return nil, evidence.PartyNames{}, usagef("--party takes REF:ROLE:NAME, e.g. \"P1:plaintiff:Example Trading Ltd\"; one value has %d of the 3 parts", len(fields))
		}
		parties = append(parties, evidence.Party{Ref: fields[0], Role: fields[1]})
		names.Parties = append(names.Parties, evidence.PartyName{Ref: fields[0], Name: strings.TrimSpace(fields[2])})
	}
	return parties, names, nil
}

func printCase(w io.Writer, c *evidence.Case) {
	fmt.Fprintf(w, "case %s  %s, %s\n", c.CaseID, c.CaseType, c.Court)
	fmt.Fprintf(w, "  status %s; opened by %s on %s\n", c.Status, who(c.OpenedBy), shortTime(c.OpenedAt))
	parties := make([]string, 0, len(c.Parties))
	for _, p := range c.Parties {
		parties = append(parties, p.Ref+" ("+p.Role+")")
	}
	fmt.Fprintf(w, "  parties: %s (names in the private collection)\n", strings.Join(parties, ", "))
	printDecision(w, "closed", c.Closure)
	printDecision(w, "sealed", c.Sealing)
}

func printCaseSummary(w io.Writer, s *evidence.CaseSummary) {
	printCase(w, &s.Case)
	fmt.Fprintf(w, "evidence (%d on this page):\n", len(s.Evidence))
	for _, e := range s.Evidence {
		fmt.Fprintf(w, "  %-20s %-24s %9s  sha256 %s...  %s %s  notarised %d, custody %d\n", e.EvidenceID, e.MediaType, size(e.SizeBytes),
			e.ContentSHA256[:min(16, len(e.ContentSHA256))], e.SubmitterMSP, shortTime(e.SubmittedAt), e.Notarisations, e.CustodyEvents)
		fmt.Fprintf(w, "  %-20s %s\n", "", e.Description)
	}
	if s.Bookmark != "" {
		fmt.Fprintf(w, "more on the next page: --bookmark %s\n", s.Bookmark)
	}
}
