package main

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	govclient "github.com/govshare/govshare/gateway-client"
	"github.com/govshare/govshare/portal/auth"
	"github.com/govshare/govshare/portal/ingest"
	"github.com/govshare/govshare/portal/readmodel"
	"github.com/govshare/govshare/portal/reconcile"
	"github.com/govshare/govshare/portal/store/postgres"
	"github.com/govshare/govshare/portal/store/sqlite"
	"github.com/govshare/govshare/portal/store/sqlstore"
	"github.com/govshare/govshare/portal/web"
)

// app holds the flags every command shares.
type app struct {
	org      string
	role     string
	db       string
	postgres string
	listen   string
	tlsCert  string
	tlsKey   string
	state    string
	stdout   io.Writer
}

func newApp() *app { return &app{stdout: os.Stdout} }

// storeFlags: where the read model is.
func (a *app) storeFlags(fs *pflag.FlagSet) {
	fs.StringVar(&a.db, "db", ".govshare/portal/portal.db", "SQLite file of the read model")
	fs.StringVar(&a.postgres, "postgres", "", "PostgreSQL address of the read model (postgres://user@host:port/db); replaces --db")
}

// ledgerFlags: whose identity reads the ledger.
func (a *app) ledgerFlags(fs *pflag.FlagSet) {
	fs.StringVar(&a.org, "org", "", "the organisation's client folder (with connection.json); Oversight's reads every channel")
	fs.StringVar(&a.role, "as", "inspector", "the role whose credentials read the ledger")
}

func (a *app) openStore(ctx context.Context) (*sqlstore.Store, error) {
	if a.postgres != "" {
		return postgres.Open(ctx, a.postgres)
	}
	return sqlite.Open(ctx, a.db)
}

// withStore runs fn with the read model open.
func (a *app) withStore(ctx context.Context, fn func(context.Context, *sqlstore.Store) error) error {
	s, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	return fn(ctx, s)
}

// withLedger runs fn with the read model open and a session on the ledger.
func (a *app) withLedger(ctx context.Context, fn func(context.Context, *sqlstore.Store, *govclient.Client, *govclient.Session) error) error {
	return a.withStore(ctx, func(ctx context.Context, s *sqlstore.Store) error {
		client, session, err := a.openSession()
		if err != nil {
			return err
		}
		defer client.Close()
		return fn(ctx, s, client, session)
	})
}

func (a *app) openSession() (*govclient.Client, *govclient.Session, error) {
	if a.org == "" {
		return nil, nil, &usageError{errors.New("--org names the organisation folder whose identity reads the ledger")}
	}
	c, err := govclient.Open(a.org)
	if err != nil {
		return nil, nil, err
	}
	s, err := c.As(a.role)
	if err != nil {
		c.Close()
		return nil, nil, err
	}
	return c, s, nil
}

func (a *app) serveCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Follow the ledger into the read model and serve the portal, in the foreground",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return a.serve(cmd.Context()) },
	}
	a.storeFlags(cmd.Flags())
	a.ledgerFlags(cmd.Flags())
	a.listenFlags(cmd.Flags())
	return cmd
}

// listenFlags: where and how the portal serves.
func (a *app) listenFlags(fs *pflag.FlagSet) {
	fs.StringVar(&a.listen, "listen", "127.0.0.1:8080", "address to serve on")
	fs.StringVar(&a.tlsCert, "tls-cert", "", "serve HTTPS with this certificate (PEM); session cookies are then Secure")
	fs.StringVar(&a.tlsKey, "tls-key", "", "the private key of --tls-cert (PEM)")
}

// url is the portal's address.
func (a *app) url() string {
	if a.tlsCert != "" {
		return "https://" + a.listen
	}
	return "http://" + a.listen
}

func (a *app) serve(ctx context.Context) error {
	return a.withLedger(ctx, a.serveWith)
}

func (a *app) serveWith(ctx context.Context, s *sqlstore.Store, client *govclient.Client, session *govclient.Session) error {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	hub := web.NewHub()
	if (a.tlsCert == "") != (a.tlsKey == "") {
		return &usageError{errors.New("--tls-cert and --tls-key go together")}
	}
	guard := auth.New(s)
	guard.Secure = a.tlsCert != ""
	srv, err := web.New(web.Config{Queries: s, Guard: guard, Ledger: session, Channels: client.Channels(), Feed: hub, Log: log})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", a.listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", a.listen, err)
	}
	httpSrv := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	follower := &ingest.Follower{Source: session, Store: s, Channels: client.Channels(), Log: log,
		Recorded: func(*readmodel.Batch) { hub.Recorded() }}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, 2)
	go func() { errs <- follower.Run(ctx) }()
	go func() {
		if a.tlsCert != "" {
			errs <- httpSrv.ServeTLS(ln, a.tlsCert, a.tlsKey)
			return
		}
		errs <- httpSrv.Serve(ln)
	}()
	log.Info("portal serving", "address", a.url(), "organisation", client.Organization(), "channels", client.Channels())
	var first error
	select {
	case <-ctx.Done():
	case first = <-errs:
	}
	cancel()
	shutdown, done := context.WithTimeout(context.Background(), 5*time.Second)
	defer done()
	httpSrv.Shutdown(shutdown)
	if first != nil && !errors.Is(first, context.Canceled) && !errors.Is(first, http.ErrServerClosed) {
		return first
	}
	return nil
}

// pidFile and logFile are the detached portal's files in its state folder.
func (a *app) pidFile() string { return filepath.Join(a.state, "portal.pid") }
func (a *app) logFile() string { return filepath.Join(a.state, "portal.log") }

func (a *app) startCommand() *cobra.Command {
	var wait time.Duration
	cmd := &cobra.Command{
		Use:   "start",
		Short: "Start the portal in the background (pidfile and log in --state), wait until it has caught up with the ledger, print its address",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.start(cmd.Context(), wait)
		},
	}
	a.storeFlags(cmd.Flags())
	a.ledgerFlags(cmd.Flags())
	a.listenFlags(cmd.Flags())
	cmd.Flags().StringVar(&a.state, "state", ".govshare/portal", "folder of the pidfile and the log")
	cmd.Flags().DurationVar(&wait, "wait", 2*time.Minute, "how long to wait for the portal to catch up with the ledger")
	return cmd
}

func (a *app) start(ctx context.Context, wait time.Duration) error {
	if pid, ok := a.running(); ok {
		fmt.Fprintf(a.stdout, "the portal runs already (PID %d): %s\n", pid, a.url())
		return nil
	}
	if err := os.MkdirAll(a.state, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", a.state, err)
	}
	logf, err := os.OpenFile(a.logFile(), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("open the log: %w", err)
	}
	defer logf.Close()
	self, err := os.Executable()
	if err != nil {
		return err
	}
	args := []string{"serve", "--org", a.org, "--as", a.role, "--listen", a.listen}
	if a.tlsCert != "" {
		args = append(args, "--tls-cert", a.tlsCert, "--tls-key", a.tlsKey)
	}
	if a.postgres != "" {
		args = append(args, "--postgres", a.postgres)
	} else {
		args = append(args, "--db", a.db)
	}
	cmd := exec.Command(self, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} // outlives the make that started it
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start the portal: %w", err)
	}
	pid := cmd.Process.Pid
	cmd.Process.Release()
	if err := os.WriteFile(a.pidFile(), []byte(strconv.Itoa(pid)+"\n"), 0o600); err != nil {
		return err
	}
	if err := a.awaitCaughtUp(ctx, wait); err != nil {
		return fmt.Errorf("%w (log: %s)", err, a.logFile())
	}
	fmt.Fprintf(a.stdout, "The disclosure portal runs at %s (PID %d, log %s)\n", a.url(), pid, a.logFile())
	return nil
}

// awaitCaughtUp waits until the portal answers and its read model holds
// every block the ledger had when the wait began.
func (a *app) awaitCaughtUp(ctx context.Context, wait time.Duration) error {
	client, session, err := a.openSession()
	if err != nil {
		return err
	}
	defer client.Close()
	heights, err := session.ChainHeights(ctx, client.Channels())
	if err != nil {
		return err
	}
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		if _, ok := a.running(); !ok {
			return errors.New("the portal stopped")
		}
		if a.caughtUp(ctx, heights) {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(300 * time.Millisecond):
		}
	}
	return fmt.Errorf("the portal did not catch up with the ledger within %s", wait)
}

func (a *app) caughtUp(ctx context.Context, heights map[string]uint64) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.url()+"/api/v1/overview", nil)
	if err != nil {
		return false
	}
	// The portal's own address, asked by the process that started it: its
	// certificate need not name it.
	probe := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}, Timeout: 5 * time.Second}
	resp, err := probe.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var o struct {
		Channels []struct {
			Channel   string `json:"channel"`
			NextBlock uint64 `json:"nextBlock"`
		} `json:"channels"`
	}
	if err := jsonDecode(resp.Body, &o); err != nil {
		return false
	}
	reached := map[string]uint64{}
	for _, c := range o.Channels {
		reached[c.Channel] = c.NextBlock
	}
	for ch, h := range heights {
		if reached[ch] < h {
			return false
		}
	}
	return true
}

// running reads the pidfile and reports whether that process lives.
func (a *app) running() (int, bool) {
	data, err := os.ReadFile(a.pidFile())
	if err != nil {
		return 0, false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || pid <= 0 {
		return 0, false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return pid, false
	}
	i := strings.LastIndexByte(string(stat), ')')
	fields := strings.Fields(string(stat[i+1:]))
	return pid, len(fields) > 0 && fields[0] != "Z"
}

func (a *app) stopCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "stop",
		Short: "Stop the portal that start started, by the PID in its pidfile",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pid, ok := a.running()
			if !ok {
				os.Remove(a.pidFile())
				fmt.Fprintln(a.stdout, "the portal is not running")
				return nil
			}
			if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
				return fmt.Errorf("stop PID %d: %w", pid, err)
			}
			for range 100 {
				if _, ok := a.running(); !ok {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			if _, ok := a.running(); ok {
				syscall.Kill(pid, syscall.SIGKILL)
			}
			os.Remove(a.pidFile())
			fmt.Fprintf(a.stdout, "portal stopped (PID %d)\n", pid)
			return nil
		},
	}
	cmd.Flags().StringVar(&a.state, "state", ".govshare/portal", "folder of the pidfile")
	return cmd
}

func (a *app) statusCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Say whether the portal runs",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if pid, ok := a.running(); ok {
				fmt.Fprintf(a.stdout, "running, PID %d\n", pid)
				return nil
			}
			fmt.Fprintln(a.stdout, "not running")
			return nil
		},
	}
	cmd.Flags().StringVar(&a.state, "state", ".govshare/portal", "folder of the pidfile")
	return cmd
}

func (a *app) reconcileCommand() *cobra.Command {
	var sample int
	cmd := &cobra.Command{
		Use:   "reconcile",
		Short: "Compare the read model with the ledger: heights, block hashes, and a sample of records read through the contracts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withLedger(cmd.Context(), func(ctx context.Context, s *sqlstore.Store, client *govclient.Client, session *govclient.Session) error {
				report, err := reconcile.Run(ctx, s, session, client.Channels(), sample)
				if err != nil {
					return err
				}
				report.Print(a.stdout)
				if n := report.Differences(); n > 0 {
					return fmt.Errorf("%d differences between the read model and the ledger", n)
				}
				return nil
			})
		},
	}
	a.storeFlags(cmd.Flags())
	a.ledgerFlags(cmd.Flags())
	cmd.Flags().IntVar(&sample, "sample", 20, "records of each kind to read again through the contracts")
	return cmd
}

func (a *app) accountCommand() *cobra.Command {
	account := &cobra.Command{Use: "account", Short: "Accounts of the oversight pages"}
	var passwordFile string
	add := &cobra.Command{
		Use:   "add NAME",
		Short: "Create an oversight account (or reset its password), as the Oversight organisation's administrator",
		Long: `add creates an account for the oversight pages. It needs the administrator's
credentials of the oversight organisation (--org with role admin): nobody else
creates accounts. The password is read from --password-file, or made up and
printed once when there is none.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if a.org == "" {
				return &usageError{errors.New("--org names the oversight organisation's folder")}
			}
			client, err := govclient.Open(a.org)
			if err != nil {
				return err
			}
			defer client.Close()
			admin, err := client.As("admin")
			if err != nil {
				return fmt.Errorf("the administrator's credentials: %w", err)
			}
			password, generated := "", false
			if passwordFile != "" {
				data, err := os.ReadFile(passwordFile)
				if err != nil {
					return err
				}
				password = strings.TrimRight(string(data), "\r\n")
			} else {
				raw := make([]byte, 12)
				rand.Read(raw)
				password, generated = hex.EncodeToString(raw), true
			}
			s, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			if err := auth.New(s).AddAccount(ctx, args[0], password, admin.MSPID(), admin.Role()); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "oversight account %q ready", args[0])
			if generated {
				fmt.Fprintf(a.stdout, ", password %s", password)
			}
			fmt.Fprintln(a.stdout)
			return nil
		},
	}
	a.storeFlags(add.Flags())
	add.Flags().StringVar(&a.org, "org", "", "the oversight organisation's folder, with its administrator's credentials")
	add.Flags().StringVar(&passwordFile, "password-file", "", "file holding the password (at least 12 characters)")
	account.AddCommand(add)
	return account
}
