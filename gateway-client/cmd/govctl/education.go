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

func (a *app) accreditationCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "accreditation", Short: "The ministry's registry of universities allowed to issue credits (ministry officer)"}
	var name, reason string
	grant := &cobra.Command{
		Use: "grant MSP_ID", Short: "Accredit a university", Args: cobra.ExactArgs(1),
		Example: "  govctl --org EduMinistry --as officer accreditation grant UniversityAMSP --name 'University A'",
		RunE: func(cmd *cobra.Command, args []string) error {
			return write(a, cmd, "officer", "accredit "+args[0], func(ctx context.Context, s *govclient.Session) (*education.Accreditation, *govclient.Result, error) {
				return s.Education().AccreditUniversity(ctx, education.AccreditRequest{MSPID: args[0], Name: name})
			}, printAccreditation)
		},
	}
	grant.Flags().StringVar(&name, "name", "", "the university's name")
	decisions := []struct {
		use, short string
		decide     func(*govclient.Education, context.Context, education.AccreditationDecisionRequest) (*education.Accreditation, *govclient.Result, error)
	}{
		{"suspend", "Suspend a university: it can record nothing until reinstated", (*govclient.Education).SuspendAccreditation},
		{"reinstate", "Lift a suspension", (*govclient.Education).ReinstateAccreditation},
	}
	for _, d := range decisions {
		c := &cobra.Command{
			Use: d.use + " MSP_ID", Short: d.short, Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return write(a, cmd, "officer", d.use+" "+args[0], func(ctx context.Context, s *govclient.Session) (*education.Accreditation, *govclient.Result, error) {
					return d.decide(s.Education(), ctx, education.AccreditationDecisionRequest{MSPID: args[0], Reason: reason})
				}, printAccreditation)
			},
		}
		c.Flags().StringVar(&reason, "reason", "", "why (recorded on the ledger)")
		cmd.AddCommand(c)
	}
	list := &cobra.Command{
		Use: "list", Short: "List accredited universities", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := a.session("")
			if err != nil {
				return err
			}
			ctx, cancel := a.context(cmd)
			defer cancel()
			var all []education.Accreditation
			bookmark := ""
			for {
				page, err := s.Education().ListAccreditations(ctx, 100, bookmark)
				if err != nil {
					return err
				}
				all = append(all, page.Accreditations...)
				if bookmark = page.Bookmark; bookmark == "" {
					break
				}
			}
			return a.print(all, func(w io.Writer) {
				for i := range all {
					printAccreditation(w, &all[i])
				}
			})
		},
	}
	cmd.AddCommand(grant, list)
	return cmd
}

func printAccreditation(w io.Writer, acc *education.Accreditation) {
	fmt.Fprintf(w, "%-16s %-24s %-9s since %s", acc.MSPID, acc.Name, acc.Status, shortTime(acc.AccreditedAt))
	if acc.Reason != "" {
		fmt.Fprintf(w, " (%s)", acc.Reason)
	}
	fmt.Fprintln(w)
}

// studentFlags are the flags that identify a student to a registrar.
type studentFlags struct {
	number, name, birthDate, salt string
}

func (f *studentFlags) add(cmd *cobra.Command, withDetails bool) {
	cmd.Flags().StringVar(&f.number, "student-number", "", "the student's number at your university")
	cmd.Flags().StringVar(&f.salt, "salt", "", "the student's salt (hex, 16 to 64 random bytes kept secret), if it comes from elsewhere; by default derived from your university's secret key")
	if withDetails {
		cmd.Flags().StringVar(&f.name, "name", "", "the student's full name (kept private)")
		cmd.Flags().StringVar(&f.birthDate, "birth-date", "", "the student's birth date, YYYY-MM-DD (kept private)")
	}
}

// student returns the student's details and ledger reference.
func (a *app) student(f *studentFlags) (education.StudentDetails, string, error) {
	if f.number == "" {
		return education.StudentDetails{}, "", usagef("give the student's number with --student-number")
	}
	if f.salt != "" {
		d := education.StudentDetails{StudentNumber: f.number, FullName: f.name, BirthDate: f.birthDate, Salt: strings.ToLower(f.salt)}
		return d, education.StudentRef(d.Salt, d.StudentNumber), nil
	}
	salts, err := govclient.LoadStudentSalts(a.orgDir(a.org))
	if err != nil {
		return education.StudentDetails{}, "", networkError{err}
	}
	d, ref := salts.Student(f.number, f.name, f.birthDate)
	return d, ref, nil
}

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
			var all education.Transcript
			bookmark := ""
			for {
				page, err := s.Education().GetTranscript(ctx, ref, pageSize, bookmark)
				if err != nil {
					return err
				}
				all.StudentRef, all.ActiveCreditTenths, all.ActiveCreditCount = page.StudentRef, page.ActiveCreditTenths, page.ActiveCreditCount
				all.Entries = append(all.Entries, page.Entries...)
				if bookmark = page.Bookmark; bookmark == "" {
					break
				}
			}
			all.Count = int32(len(all.Entries))
			return a.print(all, func(w io.Writer) { printTranscript(w, &all) })
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
