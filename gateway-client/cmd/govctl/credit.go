package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/govshare/govshare/chaincode/education"
	govclient "github.com/govshare/govshare/gateway-client"
)

// creditCommand is the credit group on the education-credit channel:
// record, recognise, revoke, unrecognise, show and transcript.
func (a *app) creditCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "credit", Short: "Course credits: record, recognise, revoke, transcripts (university registrar)"}

	var req education.RecordCreditRequest
	var credits string
	var sf studentFlags
	record := &cobra.Command{
		Use: "record", Short: "Record a course credit your university awarded", Args: cobra.NoArgs,
		Example: `  govctl --org UniversityA --as registrar credit record --id UA-2026-0001 \
    --student-number S2026001 --name "Li Hua" --birth-date 2004-03-01 \
    --course CS101 --title "Programming 1" --credits 7.5 --grade A --term 2026-spring`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if req.CreditTenths, err = parseTenths(credits); err != nil {
				return err
			}
			student, ref, err := a.student(&sf)
			if err != nil {
				return err
			}
			req.StudentRef = ref
			return write(a, cmd, "registrar", "record credit "+req.CreditID, func(ctx context.Context, s *govclient.Session) (*education.Credit, *govclient.Result, error) {
				return s.Education().RecordCredit(ctx, req, student)
			}, printCredit)
		},
	}
	record.Flags().StringVar(&req.CreditID, "id", "", "the credit's ID, unique across universities")
	record.Flags().StringVar(&req.CourseCode, "course", "", "course code")
	record.Flags().StringVar(&req.CourseTitle, "title", "", "course title")
	record.Flags().StringVar(&credits, "credits", "", "credits awarded, e.g. 7.5")
	record.Flags().StringVar(&req.Grade, "grade", "", "grade")
	record.Flags().StringVar(&req.Term, "term", "", "term, e.g. 2026-spring")
	sf.add(record, true)

	var accepted string
	recognise := &cobra.Command{
		Use: "recognise CREDIT_ID", Short: "Accept another university's credit at yours", Args: cobra.ExactArgs(1),
		Example: "  govctl --org UniversityB --as registrar credit recognise UA-2026-0001 --credits 6",
		RunE: func(cmd *cobra.Command, args []string) error {
			tenths, err := parseTenths(accepted)
			if err != nil {
				return err
			}
			return write(a, cmd, "registrar", "recognise credit "+args[0], func(ctx context.Context, s *govclient.Session) (*education.Recognition, *govclient.Result, error) {
				return s.Education().RecogniseCredit(ctx, education.RecogniseCreditRequest{CreditID: args[0], AcceptedCreditTenths: tenths})
			}, printRecognition)
		},
	}
	recognise.Flags().StringVar(&accepted, "credits", "", "credits your university accepts, at most the credit's")

	var reason string
	revoke := &cobra.Command{
		Use: "revoke CREDIT_ID", Short: "Revoke a credit your university recorded (it stays readable, marked revoked)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return write(a, cmd, "registrar", "revoke credit "+args[0], func(ctx context.Context, s *govclient.Session) (*education.Credit, *govclient.Result, error) {
				return s.Education().RevokeCredit(ctx, education.RevokeCreditRequest{CreditID: args[0], Reason: reason})
			}, printCredit)
		},
	}
	revoke.Flags().StringVar(&reason, "reason", "", "why (recorded on the ledger)")

	var recognitionReason string
	unrecognise := &cobra.Command{
		Use: "unrecognise CREDIT_ID", Short: "Withdraw your university's recognition of a credit", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return write(a, cmd, "registrar", "withdraw recognition of "+args[0], func(ctx context.Context, s *govclient.Session) (*education.Recognition, *govclient.Result, error) {
				return s.Education().RevokeRecognition(ctx, education.RevokeCreditRequest{CreditID: args[0], Reason: recognitionReason})
			}, printRecognition)
		},
	}
	unrecognise.Flags().StringVar(&recognitionReason, "reason", "", "why (recorded on the ledger)")

	show := &cobra.Command{
		Use: "show CREDIT_ID", Short: "Show a credit and its history", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := a.session("")
			if err != nil {
				return err
			}
			ctx, cancel := a.context(cmd)
			defer cancel()
			credit, err := s.Education().GetCredit(ctx, args[0])
			if err != nil {
				return err
			}
			history, err := s.Education().GetCreditHistory(ctx, args[0])
			if err != nil {
				return err
			}
			out := struct {
				Credit  *education.Credit  `json:"credit"`
				History *education.History `json:"history"`
			}{credit, history}
			return a.print(out, func(w io.Writer) {
				printCredit(w, credit)
				fmt.Fprintf(w, "history (%d versions, newest first):\n", len(history.Revisions))
				for _, rev := range history.Revisions {
					fmt.Fprintf(w, "  %s  tx %s\n", shortTime(rev.Timestamp), rev.TxID)
				}
			})
		},
	}

	var ref string
	var tf studentFlags
	var pageSize int32
	transcript := &cobra.Command{
		Use: "transcript", Short: "A student's credits and recognitions, with the total of active credits", Args: cobra.NoArgs,
		Example: `  govctl --org UniversityA --as registrar credit transcript --student-number S2026001
  govctl --org Oversight --as inspector credit transcript --student-ref 3f1a...`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := a.session("")
			if err != nil {
				return err
			}
			if ref == "" {
				if _, ref, err = a.student(&tf); err != nil {
					return err
				}
			}
			ctx, cancel := a.context(cmd)
			defer cancel()
			// every page carries the totals of the whole transcript
			all, entries, err := pagesOf(func(bookmark string) (*education.Transcript, error) {
				return s.Education().GetTranscript(ctx, ref, pageSize, bookmark)
			}, func(p *education.Transcript) ([]education.TranscriptEntry, string) { return p.Entries, p.Bookmark })
			if err != nil {
				return err
			}
			all.Entries = entries
			all.Count, all.Bookmark = int32(len(entries)), ""
			return a.print(all, func(w io.Writer) { printTranscript(w, all) })
		},
	}
	transcript.Flags().StringVar(&ref, "student-ref", "", "the student's ledger reference (64 hex)")
	transcript.Flags().Int32Var(&pageSize, "page-size", 50, "entries fetched per query")
	tf.add(transcript, false)

	cmd.AddCommand(record, recognise, revoke, unrecognise, show, transcript)
	return cmd
}

func printCredit(w io.Writer, c *education.Credit) {
	fmt.Fprintf(w, "credit %s  %s %q  %s credits, grade %s, %s\n", c.CreditID, c.CourseCode, c.CourseTitle, tenths(c.CreditTenths), c.Grade, c.Term)
	fmt.Fprintf(w, "  issued by %s on %s, status %s\n", c.Issuer, shortTime(c.RecordedAt), c.Status)
	if c.Revocation != nil {
		fmt.Fprintf(w, "  revoked: %s\n", c.Revocation.Reason)
	}
}

func printRecognition(w io.Writer, r *education.Recognition) {
	fmt.Fprintf(w, "credit %s of %s recognised by %s for %s credits on %s, status %s\n",
		r.CreditID, r.Issuer, r.RecognisedBy, tenths(r.AcceptedCreditTenths), shortTime(r.RecognisedAt), r.Status)
}

func printTranscript(w io.Writer, t *education.Transcript) {
	fmt.Fprintf(w, "transcript of student %s\n", t.StudentRef)
	for _, e := range t.Entries {
		switch {
		case e.Credit != nil:
			c := e.Credit
			fmt.Fprintf(w, "  %-24s %-8s %-28q %5s  %-4s %-12s %-15s %s\n", c.CreditID, c.CourseCode, c.CourseTitle, tenths(c.CreditTenths), c.Grade, c.Term, c.Issuer, c.Status)
		case e.Recognition != nil:
			r := e.Recognition
			fmt.Fprintf(w, "    recognised by %s for %s credits (%s)\n", r.RecognisedBy, tenths(r.AcceptedCreditTenths), r.Status)
		}
	}
	fmt.Fprintf(w, "active credits: %s in %d courses\n", tenths(t.ActiveCreditTenths), t.ActiveCreditCount)
}

// tenths writes tenths of a credit as a decimal: 75 is "7.5".
func tenths(n int) string {
	return fmt.Sprintf("%d.%d", n/10, n%10)
}

// parseTenths reads "7.5" or "7" as tenths of a credit.
func parseTenths(s string) (int, error) {
	whole, frac, hasFrac := strings.Cut(strings.TrimSpace(s), ".")
	var w, f int
	if _, err := fmt.Sscanf(whole, "%d", &w); err != nil || w < 0 {
		return 0, usagef("credits %q: write them like 7.5", s)
	}
	if hasFrac {
		if len(frac) != 1 || frac[0] < '0' || frac[0] > '9' {
			return 0, usagef("credits %q: at most one decimal, like 7.5", s)
		}
		f = int(frac[0] - '0')
	}
	return w*10 + f, nil
}
