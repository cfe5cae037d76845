package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/govshare/govshare/chaincode/education"
)

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
			s, err := a.session("")
			if err != nil {
				return err
			}
			ctx, cancel := a.context(cmd)
			defer cancel()
			record, err := s.Education().GetStudentRecord(ctx, university, studentRef)
			if err != nil {
				return err
			}
			return a.print(record, func(w io.Writer) {
				fmt.Fprintf(w, "student %s of %s: number %s, %s, born %s\n", record.StudentRef, university, record.StudentNumber, record.FullName, record.BirthDate)
			})
		},
	}
	show.Flags().StringVar(&university, "university", "", "the university's MSP ID")
	show.Flags().StringVar(&studentRef, "student-ref", "", "the student's ledger reference")
	cmd.AddCommand(ref, show)
	return cmd
}

func (a *app) diplomaCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "diploma", Short: "Diplomas registered and verified by the SHA-256 of their document"}
	var degree string
	var sf studentFlags
	register := &cobra.Command{
		Use: "register FILE", Short: "Register a diploma your university issued (registrar)", Args: cobra.ExactArgs(1),
		Example: `  govctl --org UniversityA --as registrar diploma register diploma.pdf \
    --student-number S2026001 --name "Li Hua" --birth-date 2004-03-01 --degree "BSc Computer Science"`,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := a.session("registrar")
			if err != nil {
				return err
			}
			student, ref, err := a.student(&sf)
			if err != nil {
				return err
			}
			ctx, cancel := a.context(cmd)
			defer cancel()
			hash, err := a.hashFile(ctx, args[0])
			if err != nil {
				return err
			}
			done := a.waiting("register diploma " + hash[:12])
			diploma, r, err := s.Education().RegisterDiploma(ctx, education.RegisterDiplomaRequest{DocumentHash: hash, StudentRef: ref, Degree: degree}, student)
			if err != nil {
				return err
			}
			done(r)
			return a.print(diploma, func(w io.Writer) { printDiploma(w, diploma) })
		},
	}
	register.Flags().StringVar(&degree, "degree", "", "the degree awarded")
	sf.add(register, true)

	verify := &cobra.Command{
		Use: "verify FILE", Short: "Check a diploma file: registered or not, by whom, when, still valid", Args: cobra.ExactArgs(1),
		Example: "  govctl --org Oversight --as inspector diploma verify diploma.pdf",
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := a.session("")
			if err != nil {
				return err
			}
			ctx, cancel := a.context(cmd)
			defer cancel()
			hash, err := a.hashFile(ctx, args[0])
			if err != nil {
				return err
			}
			v, err := s.Education().VerifyDiploma(ctx, hash)
			if err != nil {
				return err
			}
			return a.print(v, func(w io.Writer) {
				switch {
				case !v.Found:
					fmt.Fprintf(w, "NOT REGISTERED: no diploma with SHA-256 %s is on the ledger\n", hash)
				case v.Valid:
					fmt.Fprintf(w, "VALID: ")
					printDiploma(w, v.Diploma)
				default:
					fmt.Fprintf(w, "REVOKED: ")
					printDiploma(w, v.Diploma)
				}
			})
		},
	}

	var reason string
	revoke := &cobra.Command{
		Use: "revoke FILE", Short: "Revoke a diploma your university issued (registrar)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := a.session("registrar")
			if err != nil {
				return err
			}
			ctx, cancel := a.context(cmd)
			defer cancel()
			hash, err := a.hashFile(ctx, args[0])
			if err != nil {
				return err
			}
			done := a.waiting("revoke diploma " + hash[:12])
			diploma, r, err := s.Education().RevokeDiploma(ctx, education.RevokeDiplomaRequest{DocumentHash: hash, Reason: reason})
			if err != nil {
				return err
			}
			done(r)
			return a.print(diploma, func(w io.Writer) { printDiploma(w, diploma) })
		},
	}
	revoke.Flags().StringVar(&reason, "reason", "", "why (recorded on the ledger)")
	cmd.AddCommand(register, verify, revoke)
	return cmd
}

func printDiploma(w io.Writer, d *education.Diploma) {
	fmt.Fprintf(w, "diploma %s, %s, issued by %s on %s, status %s\n", d.DocumentHash, d.Degree, d.Issuer, shortTime(d.RegisteredAt), d.Status)
}

func (a *app) resourceCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "resource", Short: "Shared learning resources registered by content hash (registrar)"}
	var req education.RegisterLearningResourceRequest
	register := &cobra.Command{
		Use: "register FILE", Short: "Register course material; a copy of material already registered is refused", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := a.session("registrar")
			if err != nil {
				return err
			}
			ctx, cancel := a.context(cmd)
			defer cancel()
			if req.ContentHash, err = a.hashFile(ctx, args[0]); err != nil {
				return err
			}
			done := a.waiting("register resource " + req.ContentHash[:12])
			res, r, err := s.Education().RegisterLearningResource(ctx, req)
			if err != nil {
				return err
			}
			done(r)
			return a.print(res, func(w io.Writer) {
				fmt.Fprintf(w, "resource %s %q by %s (%s), registered by %s\n", res.ContentHash, res.Title, res.Author, res.Licence, res.Institution)
			})
		},
	}
	register.Flags().StringVar(&req.Title, "title", "", "title")
	register.Flags().StringVar(&req.Author, "author", "", "author")
	register.Flags().StringVar(&req.Licence, "licence", "", "licence, e.g. CC-BY-4.0")
	cmd.AddCommand(register)
	return cmd
}
