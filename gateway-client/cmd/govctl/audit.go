package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/finance"
	"github.com/govshare/govshare/chaincode/foundation"
	govclient "github.com/govshare/govshare/gateway-client"
)

// auditCommand is the audit group on the finance ledger: finding,
// findings and history.
func (a *app) auditCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Auditors' findings and the history of any finance record",
		Long: `The audit office's auditors attach findings (a note with a severity) to any
record of the finance ledger; a finding changes no amount. Every member of the
channel reads findings and the full history of every record.`,
	}
	var req finance.RecordFindingRequest
	finding := &cobra.Command{
		Use: "finding RECORD_TYPE RECORD_ID", Short: "Attach a finding to a record (audit office auditor)",
		Example: `  govctl --org AuditOffice --as auditor audit finding disbursement EDU-PAY-000123 \
    --id AUD-2026-031 --severity high --note "invoice date after the payment date"`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if req.RecordType, err = recordTypeArg(args[0]); err != nil {
				return err
			}
			if err := requireFlags(cmd, "id", "severity", "note"); err != nil {
				return err
			}
			req.RecordID = args[1]
			return write(a, cmd, consortium.RoleAuditor, "finding "+req.FindingID+" about "+req.RecordType+" "+req.RecordID,
				func(ctx context.Context, s *govclient.Session) (*finance.Finding, *govclient.Result, error) {
					return s.Finance().RecordFinding(ctx, req)
				}, printFinding)
		},
	}
	finding.Flags().StringVar(&req.FindingID, "id", "", "the finding's ID, e.g. AUD-2026-031")
	finding.Flags().StringVar(&req.Severity, "severity", "", "low, medium, high or critical")
	finding.Flags().StringVar(&req.Note, "note", "", "the finding")

	findings := recordListCommand(a, "findings", "Every finding about a record",
		"  govctl --org Oversight --as inspector audit findings disbursement EDU-PAY-000123", "no finding about",
		func(ctx context.Context, f *govclient.Finance, recordType, recordID, bookmark string) ([]finance.Finding, string, error) {
			page, err := f.ListFindings(ctx, recordType, recordID, maxPageSize, bookmark)
			if err != nil {
				return nil, "", err
			}
			return page.Findings, page.Bookmark, nil
		}, printFinding)

	history := &cobra.Command{
		Use: "history RECORD_TYPE RECORD_ID", Short: "Every version of a record and of its running totals, newest first",
		Example: "  govctl --org AuditOffice --as auditor audit history allocation 2026-EDU-0401-A1",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			recordType, err := recordTypeArg(args[0])
			if err != nil {
				return err
			}
			return query(a, cmd, func(ctx context.Context, s *govclient.Session) (*finance.RecordHistory, error) {
				return s.Finance().GetRecordHistory(ctx, recordType, args[1])
			}, printRecordHistory)
		},
	}
	cmd.AddCommand(finding, findings, history)
	return cmd
}

func printFinding(w io.Writer, f *finance.Finding) {
	fmt.Fprintf(w, "finding %s (%s) about %s %s: %s\n  recorded on %s\n", f.FindingID, f.Severity, f.RecordType, f.RecordID, f.Note, shortTime(f.RecordedAt))
}

// balanceVersion is what the history shows of one version of a running
// total: the fields of AppropriationBalance and AllocationBalance.
type balanceVersion struct {
	Currency     string `json:"currency"`
	Appropriated *int64 `json:"appropriated"`
	Allocated    *int64 `json:"allocated"`
	Spent        *int64 `json:"spent"`
	ReversedBy   string `json:"reversedBy"`
	Tranches     int    `json:"tranches"`
	Spread       int64  `json:"spread"`
}

func (b balanceVersion) String() string {
	var parts []string
	for _, f := range []struct {
		name  string
		value *int64
	}{{"appropriated", b.Appropriated}, {"allocated", b.Allocated}, {"spent", b.Spent}} {
		if f.value != nil {
			parts = append(parts, f.name+" "+money(*f.value, b.Currency))
		}
	}
	if b.Tranches > 1 {
		parts = append(parts, fmt.Sprintf("%s spread over %d tranches", money(b.Spread, b.Currency), b.Tranches))
	}
	if b.ReversedBy != "" {
		parts = append(parts, "reversed by "+b.ReversedBy)
	}
	return strings.Join(parts, ", ")
}

// decodeRevision reads a history revision's record into v.
func decodeRevision(rev foundation.Revision, v any) error {
	data, err := json.Marshal(rev.Record)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

func printRecordHistory(w io.Writer, h *finance.RecordHistory) {
	fmt.Fprintf(w, "history of %s\n", h.Record)
	for _, rev := range h.Entry {
		fmt.Fprintf(w, "  %s  tx %s  entry written\n", shortTime(rev.Timestamp), rev.TxID)
	}
	if len(h.Balances) > 0 {
		fmt.Fprintln(w, "running totals, newest first:")
	}
	currency := ""
	for _, rev := range h.Balances {
		var b balanceVersion
		if err := decodeRevision(rev, &b); err != nil {
			fmt.Fprintf(w, "  %s  tx %s  (unreadable: %v)\n", shortTime(rev.Timestamp), rev.TxID, err)
			continue
		}
		currency = b.Currency
		fmt.Fprintf(w, "  %s  tx %s  %s\n", shortTime(rev.Timestamp), rev.TxID, b)
	}
	if len(h.Tranches) > 0 {
		fmt.Fprintln(w, "its tranches, newest first:")
	}
	for _, rev := range h.Tranches {
		var tr finance.Tranche
		if err := decodeRevision(rev, &tr); err != nil {
			fmt.Fprintf(w, "  %s  tx %s  (unreadable: %v)\n", shortTime(rev.Timestamp), rev.TxID, err)
			continue
		}
		fmt.Fprintf(w, "  %s  tx %s  tranche %d of layout %d: share %s, spent %s\n", shortTime(rev.Timestamp), rev.TxID,
			tr.Tranche, tr.Layout, money(tr.Share, currency), money(tr.Spent, currency))
	}
}
