package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/govshare/govshare/chaincode/education"
	govclient "github.com/govshare/govshare/gateway-client"
)

// resourceCommand is the resource group on the education-credit channel.
func (a *app) resourceCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "resource", Short: "Shared learning resources registered by content hash (registrar)"}
	var req education.RegisterLearningResourceRequest
	register := &cobra.Command{
		Use: "register FILE", Short: "Register course material; a copy of material already registered is refused", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return write(a, cmd, "registrar", "register resource "+args[0], func(ctx context.Context, s *govclient.Session) (*education.LearningResource, *govclient.Result, error) {
				var err error
				if req.ContentHash, err = a.hashFile(ctx, args[0]); err != nil {
					return nil, nil, err
				}
				return s.Education().RegisterLearningResource(ctx, req)
			}, func(w io.Writer, res *education.LearningResource) {
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
