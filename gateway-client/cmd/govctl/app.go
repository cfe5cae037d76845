package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	govclient "github.com/govshare/govshare/gateway-client"
	"github.com/govshare/govshare/gateway-client/profile"
)

// app holds what every command shares: the global flags, the open client
// and where output goes.
type app struct {
	stdout, stderr io.Writer

	networkDir string
	folder     string // --org-dir: the organisation's own folder
	org        string
	role       string
	asJSON     bool
	timeout    time.Duration

	client *govclient.Client
}

func newApp(stdout, stderr io.Writer) *app { return &app{stdout: stdout, stderr: stderr} }

func (a *app) root() *cobra.Command {
	root := &cobra.Command{
		Use:   "govctl",
		Short: "Work with the govshare network: credits, budgets, evidence, oversight",
		Long: `govctl submits and queries transactions on the govshare network for one
organisation and role. Pick them with --org and --as (or GOVSHARE_ORG and
GOVSHARE_ROLE). The organisation's certificates come from the network's state
folder (--network, or GOVSHARE_NETWORK; default .govshare/network), or from
the organisation's own folder on its own host (--org-dir, or
GOVSHARE_ORG_DIR: the agency's folder, or a copy of its connection.json,
ca.pem, tlsca.pem and users/).

Writes wait until the transaction is committed on the ledger and print its
transaction ID and block. A refused write says which organisation refused it
and why, and changes nothing.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(*cobra.Command, []string) error {
			// With only --org-dir, the organisation is the folder's.
			if a.folder != "" && a.org == "" {
				p, err := profile.Load(a.folder)
				if err != nil {
					return networkError{fmt.Errorf("open --org-dir %s: %w", a.folder, err)}
				}
				a.org = p.Organization
			}
			return nil
		},
		PersistentPostRun: func(*cobra.Command, []string) {
			if a.client != nil {
				a.client.Close()
			}
		},
	}
	flags := root.PersistentFlags()
	flags.StringVar(&a.networkDir, "network", envOr("GOVSHARE_NETWORK", ".govshare/network"), "the network's state folder, which holds organizations/<Org>/")
	flags.StringVar(&a.org, "org", os.Getenv("GOVSHARE_ORG"), "your organisation, e.g. UniversityA (GOVSHARE_ORG)")
	flags.StringVar(&a.folder, "org-dir", os.Getenv("GOVSHARE_ORG_DIR"), "your organisation's own folder, holding connection.json, instead of --network (GOVSHARE_ORG_DIR)")
	flags.StringVar(&a.role, "as", os.Getenv("GOVSHARE_ROLE"), "your role, e.g. registrar (GOVSHARE_ROLE)")
	flags.BoolVar(&a.asJSON, "json", false, "print one JSON document instead of text")
	flags.DurationVar(&a.timeout, "timeout", 0, "give up after this long (default: 15s for queries, 1m for writes)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(a.accreditationCommand(), a.creditCommand(), a.studentCommand(), a.diplomaCommand(), a.resourceCommand(),
		a.oversightCommand(), a.demoCommand())
	root.AddCommand(a.financeCommands()...)
	root.AddCommand(a.evidenceCommands()...)
	return root
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

// context returns the command's context with the --timeout, if any.
func (a *app) context(cmd *cobra.Command) (context.Context, context.CancelFunc) {
	if a.timeout > 0 {
		return context.WithTimeout(cmd.Context(), a.timeout)
	}
	return context.WithCancel(cmd.Context())
}

// openClient opens an organisation's client from its folder. Its writes
// wait until every member's peer has them, so that the next command, of
// any organisation, sees them.
func (a *app) openClient(org string) (*govclient.Client, error) {
	c, err := govclient.Open(a.orgDir(org), govclient.WithMemberSync(5*time.Second))
	if err != nil {
		return nil, networkError{fmt.Errorf("open %s's folder (is the network up? `make network-up`): %w", org, err)}
	}
	return c, nil
}

// orgDir returns the folder of an organisation: --org-dir for the
// organisation one acts for, otherwise its folder in the network's state.
func (a *app) orgDir(org string) string {
	if a.folder != "" && (org == a.org || a.org == "") {
		return a.folder
	}
	return filepath.Join(a.networkDir, "organizations", org)
}

// session opens the client of --org and returns the session of --as.
// defaultRole is used when --as is not given; without either, reads go
// out as any role of the organisation, since every member may read.
func (a *app) session(defaultRole string) (*govclient.Session, error) {
	if a.org == "" && a.folder == "" {
		return nil, usagef("say which organisation you act for with --org (or GOVSHARE_ORG), or name its folder with --org-dir")
	}
	if a.client == nil {
		c, err := a.openClient(a.org)
		if err != nil {
			return nil, err
		}
		a.client = c
	}
	role := a.role
	if role == "" {
		role = defaultRole
	}
	if role == "" {
		role = a.anyRole()
	}
	s, err := a.client.As(role)
	if err != nil {
		return nil, usageError{err}
	}
	return s, nil
}

// print writes v as JSON with --json, or calls text otherwise.
func (a *app) print(v any, text func(w io.Writer)) error {
	if a.asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	text(a.stdout)
	return nil
}

// waiting tells the person that a write is on its way; done reports it.
func (a *app) waiting(what string) func(*govclient.Result) {
	start := time.Now()
	if !a.asJSON {
		fmt.Fprintf(a.stderr, "%s: endorsing and waiting for commit...\n", what)
	}
	return func(r *govclient.Result) {
		if a.asJSON || r == nil {
			return
		}
		retries := ""
		if r.Attempts > 1 {
			retries = fmt.Sprintf(", after %d attempts", r.Attempts)
		}
		fmt.Fprintf(a.stderr, "%s: committed in block %d, transaction %s (%.1fs%s)\n", what, r.BlockNumber, r.TransactionID, time.Since(start).Seconds(), retries)
	}
}

// hashFile hashes a file as a stream, showing progress on stderr.
func (a *app) hashFile(ctx context.Context, path string) (string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return "", usageError{err}
	}
	start := time.Now()
	last := time.Time{}
	progress := func(done, total int64) {
		if a.asJSON || total < 32<<20 || time.Since(last) < 200*time.Millisecond && done < total {
			return
		}
		last = time.Now()
		fmt.Fprintf(a.stderr, "\rhashing %s: %3d%% (%s of %s)", filepath.Base(path), done*100/max(total, 1), size(done), size(total))
		if done == total {
			fmt.Fprintln(a.stderr)
		}
	}
	hash, err := govclient.HashFile(ctx, path, progress)
	if err != nil {
		return "", err
	}
	if !a.asJSON && info.Size() >= 32<<20 {
		fmt.Fprintf(a.stderr, "hashed %s in %.1fs\n", size(info.Size()), time.Since(start).Seconds())
	}
	return hash, nil
}

// write runs one write command: it opens the session of --as (defaultRole
// when --as is not given), tells the person the write is on its way, runs
// do, reports the commit and prints the record do returned.
func write[T any](a *app, cmd *cobra.Command, defaultRole, what string,
	do func(context.Context, *govclient.Session) (T, *govclient.Result, error), show func(io.Writer, T)) error {
	s, err := a.session(defaultRole)
	if err != nil {
		return err
	}
	ctx, cancel := a.context(cmd)
	defer cancel()
	done := a.waiting(what)
	record, result, err := do(ctx, s)
	if err != nil {
		return err
	}
	done(result)
	return a.print(record, func(w io.Writer) { show(w, record) })
}

// query runs one read command as --as (any role of --org when not given)
// and prints what do returned.
func query[T any](a *app, cmd *cobra.Command, do func(context.Context, *govclient.Session) (T, error), show func(io.Writer, T)) error {
	s, err := a.session("")
	if err != nil {
		return err
	}
	ctx, cancel := a.context(cmd)
	defer cancel()
	record, err := do(ctx, s)
	if err != nil {
		return err
	}
	return a.print(record, func(w io.Writer) { show(w, record) })
}

// anyRole is the role used for reads when --as is not given: the first
// role in the organisation's folder that is not the administrator.
func (a *app) anyRole() string {
	for _, r := range a.client.Roles() {
		if r != "admin" {
			return r
		}
	}
	return "admin"
}
