package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/govshare/govshare/chaincode/education"
	govclient "github.com/govshare/govshare/gateway-client"
)

// accreditationCommand is the accreditation group on the education-credit
// channel: grant, suspend, reinstate and list.
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
			all, err := allPages(func(bookmark string) ([]education.Accreditation, string, error) {
				page, err := s.Education().ListAccreditations(ctx, maxPageSize, bookmark)
				if err != nil {
					return nil, "", err
				}
				return page.Accreditations, page.Bookmark, nil
			})
			if err != nil {
				return err
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
