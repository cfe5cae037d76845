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

// studentCommand is the student group: a student's ledger reference and
// private record.
func (a *app) studentCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "student", Short: "Students' private records (registrar of their university, ministry officer)"}
	var sf studentFlags
	ref := &cobra.Command{
		Use: "ref", Short: "Print the reference the ledger knows a student of your university by", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if a.org == "" {
				return usagef("say which university with --org")
			}
			_, r, err := a.student(&sf)
			if err != nil {
				return err
			}
			return a.print(map[string]string{"studentRef": r}, func(w io.Writer) { fmt.Fprintln(w, r) })
		},
	}
	sf.add(ref, false)
	var university, studentRef string
	show := &cobra.Command{
		Use: "show", Short: "Show a student's personal data from a university's private collection", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return query(a, cmd, func(ctx context.Context, s *govclient.Session) (*education.StudentRecord, error) {
				return s.Education().GetStudentRecord(ctx, university, studentRef)
			}, func(w io.Writer, record *education.StudentRecord) {
				fmt.Fprintf(w, "student %s of %s: number %s, %s, born %s\n", record.StudentRef, university, record.StudentNumber, record.FullName, record.BirthDate)
			})
		},
	}
	show.Flags().StringVar(&university, "university", "", "the university's MSP ID")
	show.Flags().StringVar(&studentRef, "student-ref", "", "the student's ledger reference")
	cmd.AddCommand(ref, show)
	return cmd
}
