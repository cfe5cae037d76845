package govclient

import (
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-gateway/pkg/identity"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"

	"github.com/govshare/govshare/gateway-client/profile"
)

// Default timeouts, used when a call's context has no deadline.
const (
	DefaultEvaluateTimeout = 15 * time.Second
	DefaultSubmitTimeout   = time.Minute
)

// Client is a connection to one organisation's gateway peer. It is safe for
// concurrent use; close it when done.
type Client struct {
	profile *profile.Profile
	conn    *grpc.ClientConn
	opts    options
	latency latencyEstimate // of commits, for the commit wait

	mu       sync.Mutex
	sessions map[string]*Session
}

type options struct {
	maxAttempts int
	retryPause  time.Duration
	memberSync  time.Duration
	commitWait  time.Duration
	ordererWait time.Duration
}

// newOptions returns the defaults (five attempts, pauses from 200 ms,
// DefaultCommitWait, DefaultOrdererWait) changed by opts.
func newOptions(opts ...Option) options {
	o := options{maxAttempts: 5, retryPause: 200 * time.Millisecond, commitWait: DefaultCommitWait, ordererWait: DefaultOrdererWait}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// Option changes how a Client behaves.
type Option func(*options)

// WithRetries sets how many times a transaction that lost an MVCC or
// phantom read conflict is endorsed and submitted in all (at least 1), and
// the pause before the first retry, which doubles each time.
func WithRetries(attempts int, pause time.Duration) Option {
	return func(o *options) {
		o.maxAttempts = max(1, attempts)
		o.retryPause = pause
	}
}

// WithMemberSync makes every submit wait, after its commit, until the peer
// of every member organisation of the channel has committed the
// transaction too, for at most timeout per peer. A commit status only
// speaks for the gateway's own peer; without this, a transaction that
// another organisation's peer endorses right afterwards may not yet see
// this one. Scripts that chain steps of several organisations want it; a
// load generator does not.
func WithMemberSync(timeout time.Duration) Option {
	return func(o *options) { o.memberSync = timeout }
}

// Open connects to the gateway peer named in the client profile in an
// organisation's folder (see package gateway-client/profile).
func Open(orgDir string, opts ...Option) (*Client, error) {
	p, err := profile.Load(orgDir)
	if err != nil {
		return nil, err
	}
	return OpenProfile(p, opts...)
}

// OpenProfile connects to the gateway peer named in a client profile.
func OpenProfile(p *profile.Profile, opts ...Option) (*Client, error) {
	o := newOptions(opts...)
	rootPEM, err := os.ReadFile(p.Path(p.Gateway.TLSRootCert))
	if err != nil {
		return nil, fmt.Errorf("read gateway TLS root certificate: %w", err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(rootPEM) {
		return nil, fmt.Errorf("no certificate in %s", p.Path(p.Gateway.TLSRootCert))
	}
	conn, err := grpc.NewClient("dns:///"+p.Gateway.Address,
		grpc.WithTransportCredentials(credentials.NewClientTLSFromCert(roots, p.Gateway.Name)))
	if err != nil {
		return nil, fmt.Errorf("connect to gateway %s at %s: %w", p.Gateway.Name, p.Gateway.Address, err)
	}
	return &Client{profile: p, conn: conn, opts: o, sessions: map[string]*Session{}}, nil
}

// Organization returns the organisation's name, e.g. "UniversityA".
func (c *Client) Organization() string { return c.profile.Organization }

// MSPID returns the organisation's MSP ID.
func (c *Client) MSPID() string { return c.profile.MSPID }

// Channels returns the channels the organisation is a member of.
func (c *Client) Channels() []string { return c.profile.Channels }

// Roles returns the roles the organisation's folder has credentials for.
func (c *Client) Roles() []string {
	roles := make([]string, 0, len(c.profile.Users))
	for _, u := range c.profile.Users {
		roles = append(roles, u.Role)
	}
	return roles
}

// As returns a session that signs as the organisation's user with role.
// Sessions are made once per role and share the client's connection.
func (c *Client) As(role string) (*Session, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.sessions[role]; ok {
		return s, nil
	}
	user, err := c.profile.User(role)
	if err != nil {
		return nil, err
	}
	id, sign, err := loadUser(c.profile.MSPID, user)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", c.profile.Organization, role, err)
	}
	gw, err := client.Connect(id, client.WithSign(sign), client.WithClientConnection(c.conn),
		client.WithEvaluateTimeout(DefaultEvaluateTimeout), client.WithEndorseTimeout(DefaultSubmitTimeout),
		client.WithSubmitTimeout(DefaultSubmitTimeout), client.WithCommitStatusTimeout(DefaultSubmitTimeout))
	if err != nil {
		return nil, fmt.Errorf("open gateway as %s %s: %w", c.profile.Organization, role, err)
	}
	s := &Session{client: c, role: role, gateway: gw, net: gatewayTransport{gw}}
	c.sessions[role] = s
	return s, nil
}

// Close closes every session and the connection.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for _, s := range c.sessions {
		errs = append(errs, s.gateway.Close())
	}
	c.sessions = map[string]*Session{}
	errs = append(errs, c.conn.Close())
	return errors.Join(errs...)
}

func loadUser(mspID string, user profile.User) (identity.Identity, identity.Sign, error) {
	certPEM, err := os.ReadFile(user.Certificate)
	if err != nil {
		return nil, nil, fmt.Errorf("read certificate: %w", err)
	}
	cert, err := identity.CertificateFromPEM(certPEM)
	if err != nil {
		return nil, nil, fmt.Errorf("parse certificate %s: %w", user.Certificate, err)
	}
	id, err := identity.NewX509Identity(mspID, cert)
	if err != nil {
		return nil, nil, fmt.Errorf("make identity: %w", err)
	}
	keyPEM, err := os.ReadFile(user.PrivateKey)
	if err != nil {
		return nil, nil, fmt.Errorf("read private key: %w", err)
	}
	key, err := identity.PrivateKeyFromPEM(keyPEM)
	if err != nil {
		return nil, nil, fmt.Errorf("parse private key %s: %w", user.PrivateKey, err)
	}
	sign, err := identity.NewPrivateKeySign(key)
	if err != nil {
		return nil, nil, fmt.Errorf("make signer: %w", err)
	}
	return id, sign, nil
}

// Session signs transactions as one role of the client's organisation.
type Session struct {
	client  *Client
	role    string
	gateway *client.Gateway
	net     transport
}

// Role returns the session's role.
func (s *Session) Role() string { return s.role }

// Organization returns the session's organisation name.
func (s *Session) Organization() string { return s.client.profile.Organization }

// MSPID returns the session's MSP ID.
func (s *Session) MSPID() string { return s.client.profile.MSPID }

// Gateway returns the session's Fabric Gateway, for what the typed views do
// not cover (system chaincodes, choosing endorsing organisations, offline
// signing). It closes with the client.
func (s *Session) Gateway() *client.Gateway { return s.gateway }
