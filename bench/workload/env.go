package workload

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	govclient "github.com/govshare/govshare/gateway-client"
)

// Env is the network as the load generator sees it: one client per
// organisation and retry behaviour, opened on first use from the
// organisation's folder in the network's state folder.
type Env struct {
	stateDir string
	orgsDir  string
	// RunID prefixes every identifier a run creates, so that runs never
	// collide with each other or with other users' records.
	RunID string

	mu      sync.Mutex
	clients map[string]*govclient.Client
}

// Retry behaviour of a session.
const (
	// NoRetry reports every MVCC or phantom read conflict as a failure:
	// what the load generator measures by default.
	NoRetry = false
	// ClientRetry lets the client endorse a conflicting transaction again
	// with its default bounded, doubling pauses, as applications do.
	ClientRetry = true
)

// NewEnv returns the environment of the network in stateDir. Nothing is
// opened until a session is asked for.
func NewEnv(stateDir string) *Env {
	return &Env{
		stateDir: stateDir,
		orgsDir:  filepath.Join(stateDir, "organizations"),
		RunID:    "GL" + strconv.FormatInt(time.Now().UnixMilli(), 36),
		clients:  map[string]*govclient.Client{},
	}
}

// OrgDir returns the folder of an organisation, e.g. "UniversityA".
func (e *Env) OrgDir(org string) string { return filepath.Join(e.orgsDir, org) }

// Session returns a session of org signing as role. With retry false
// (NoRetry) the client endorses and submits every transaction once.
func (e *Env) Session(org, role string, retry bool) (*govclient.Session, error) {
	if retry {
		return e.session(org, role, "retry")
	}
	return e.session(org, role, "once", govclient.WithRetries(1, 0))
}

// SetupSession returns a session of org signing as role for preparing a
// round's records: it retries conflicts, and each submit returns only when
// the peer of every member organisation of the channel has committed it,
// so that the next step, endorsed by other organisations' peers, finds
// what this one wrote even while the peers lag behind after a round of
// load.
func (e *Env) SetupSession(org, role string) (*govclient.Session, error) {
	return e.session(org, role, "setup", govclient.WithMemberSync(setupSyncTimeout))
}

// session returns a session of org signing as role, through the client of
// org opened with opts, which kind names among the env's clients.
func (e *Env) session(org, role, kind string, opts ...govclient.Option) (*govclient.Session, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	key := org + "/" + kind
	c, ok := e.clients[key]
	if !ok {
		var err error
		if c, err = govclient.Open(e.OrgDir(org), opts...); err != nil {
			return nil, fmt.Errorf("open client of %s: %w", org, err)
		}
		e.clients[key] = c
	}
	s, err := c.As(role)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", org, role, err)
	}
	return s, nil
}

// setupSyncTimeout bounds the wait for one member peer after a setup
// submit.
const setupSyncTimeout = 30 * time.Second

// Close closes every client.
func (e *Env) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	var errs []error
	for _, c := range e.clients {
		errs = append(errs, c.Close())
	}
	e.clients = map[string]*govclient.Client{}
	return errors.Join(errs...)
}

// attempts returns how many times a failed transaction was submitted.
func attempts(err error) int {
	var txErr *govclient.TxError
	if errors.As(err, &txErr) && txErr.Attempts > 0 {
		return txErr.Attempts
	}
	return 1
}

// attemptsOf returns how many attempts a submit took, from its result or
// its error, and the error.
func attemptsOf(result *govclient.Result, err error) (int, error) {
	if err != nil {
		return attempts(err), err
	}
	return result.Attempts, nil
}

// SHA256Hex returns the lower-case hex SHA-256 of data.
func SHA256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// list is a slice that workers append to and read from concurrently.
type list struct {
	mu    sync.Mutex
	items []string
}

func (l *list) add(s string) {
	l.mu.Lock()
	l.items = append(l.items, s)
	l.mu.Unlock()
}

func (l *list) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.items)
}

// at returns item i modulo the length; "" for an empty list.
func (l *list) at(i int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.items) == 0 {
		return ""
	}
	return l.items[i%len(l.items)]
}

// errNothingToDo is returned by an operation that depends on records an
// earlier round should have created, when there are none.
var errNothingToDo = errors.New("no records from the earlier round to work on")

// Parallel calls f for 0 to n-1, at most limit at a time, and returns the
// first error; after an error, calls not yet started are skipped.
func Parallel(ctx context.Context, n, limit int, f func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, max(1, limit))
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if ctx.Err() != nil {
				errs <- ctx.Err()
				return
			}
			if err := f(ctx, i); err != nil {
				errs <- err
				cancel()
			}
		}()
	}
	wg.Wait()
	close(errs)
	var first error
	for err := range errs {
		if first == nil || errors.Is(first, context.Canceled) {
			first = err
		}
	}
	return first
}
