package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/govshare/govshare/chaincode/education"
	govclient "github.com/govshare/govshare/gateway-client"
)

// diplomaCommand is the diploma group on the education-credit channel:
// register, verify and revoke, by the document's SHA-256.
func (a *app) diplomaCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "diploma", Short: "Diplomas registered and verified by the SHA-256 of their document"}
	var degree string
	var sf studentFlags
	register := &cobra.Command{
		Use: "register FILE", Short: "Register a diploma your university issued (registrar)", Args: cobra.ExactArgs(1),
		Example: `  govctl --org UniversityA --as registrar diploma register diploma.pdf \
    --student-number S2026001 --name "Li Hua" --birth-date 2004-03-01 --degree "BSc Computer Science"`,
		RunE: func(cmd *cobra.Command, args []string) error {
			student, ref, err := a.student(&sf)
			if err != nil {
				return err
			}
			return write(a, cmd, "registrar", "register diploma "+args[0], func(ctx context.Context, s *govclient.Session) (*education.Diploma, *govclient.Result, error) {
				hash, err := a.hashFile(ctx, args[0])
				if err != nil {
					return nil, nil, err
				}
				return s.Education().RegisterDiploma(ctx, education.RegisterDiplomaRequest{DocumentHash: hash, StudentRef: ref, Degree: degree}, student)
			}, printDiploma)
		},
	}
	register.Flags().StringVar(&degree, "degree", "", "the degree awarded")
	sf.add(register, true)

	verify := &cobra.Command{
		Use: "verify FILE", Short: "Check a diploma file: registered or not, by whom, when, still valid", Args: cobra.ExactArgs(1),
		Example: "  govctl --org Oversight --as inspector diploma verify diploma.pdf",
		RunE: func(cmd *cobra.Command, args []string) error {
			return query(a, cmd, func(ctx context.Context, s *govclient.Session) (*education.DiplomaVerification, error) {
				hash, err := a.hashFile(ctx, args[0])
				if err != nil {
					return nil, err
				}
				return s.Education().VerifyDiploma(ctx, hash)
			}, func(w io.Writer, v *education.DiplomaVerification) {
				switch {
				case !v.Found:
					fmt.Fprintf(w, "NOT REGISTERED: no diploma with SHA-256 %s is on the ledger\n", v.DocumentHash)
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
			return write(a, cmd, "registrar", "revoke diploma "+args[0], func(ctx context.Context, s *govclient.Session) (*education.Diploma, *govclient.Result, error) {
				hash, err := a.hashFile(ctx, args[0])
				if err != nil {
					return nil, nil, err
				}
				return s.Education().RevokeDiploma(ctx, education.RevokeDiplomaRequest{DocumentHash: hash, Reason: reason})
			}, printDiploma)
		},
	}
	revoke.Flags().StringVar(&reason, "reason", "", "why (recorded on the ledger)")
	cmd.AddCommand(register, verify, revoke)
	return cmd
}

func printDiploma(w io.Writer, d *education.Diploma) {
	fmt.Fprintf(w, "diploma %s, %s, issued by %s on %s, status %s\n", d.DocumentHash, d.Degree, d.Issuer, shortTime(d.RegisteredAt), d.Status)
}
