package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/govshare/govshare/chaincode/foundation"
	govclient "github.com/govshare/govshare/gateway-client"
)

// whoamiCommand prints the caller as the evidence contract sees it.
func (a *app) whoamiCommand() *cobra.Command {
	return &cobra.Command{
		Use: "whoami", Short: "Your identity as the evidence contract sees it, to be named as a grantee", Args: cobra.NoArgs,
		Long: `whoami asks the evidence contract on the judicial-evidence channel who you are:
your organisation's MSP ID, your role and your certificate identity. Give the
MSP ID and the identity to the court clerk who records an access request for
you.`,
		Example: "  govctl --org NotaryOffice --as notary whoami",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return query(a, cmd, func(ctx context.Context, s *govclient.Session) (*foundation.Caller, error) {
				return s.Evidence().WhoAmI(ctx)
			}, func(w io.Writer, c *foundation.Caller) {
				fmt.Fprintf(w, "%s %s\n%s\n", c.MSPID, c.Role, c.ID)
				fmt.Fprintf(w, "a clerk names you as a grantee with: --grantee-msp %s --grantee-id '%s'\n", c.MSPID, c.ID)
			})
		},
	}
}
