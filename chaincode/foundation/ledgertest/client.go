package ledgertest

import (
	"fmt"
	"maps"
	"slices"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/cid"
	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
)

// Client submits transactions to a Ledger as one identity. A Client is a
// value: the With methods return a modified copy, so one base client can be
// reused with different transient data.
type Client struct {
	l         *Ledger
	mspID     string
	role      string
	creator   []byte // overrides the generated identity when set
	transient map[string][]byte
	endorsers []string
}

// As returns a client of organisation mspID whose certificate carries the
// govshare.role attribute role ("" for a certificate without attributes).
// The certificate is generated on first use and reused afterwards.
func (l *Ledger) As(mspID, role string) *Client {
	return &Client{l: l, mspID: mspID, role: role}
}

// WithTransient returns a copy of c that sends key=value as transient data.
func (c *Client) WithTransient(key string, value []byte) *Client {
	cp := *c
	cp.transient = maps.Clone(c.transient)
	if cp.transient == nil {
		cp.transient = map[string][]byte{}
	}
	cp.transient[key] = slices.Clone(value)
	return &cp
}

// EndorsedBy returns a copy of c whose transactions are endorsed by peers of
// exactly the organisations mspIDs. Writes to keys with a key-level
// endorsement policy that these organisations do not satisfy make the
// transaction invalid at commit (a *ValidationError). Without EndorsedBy
// every policy is taken as satisfied.
func (c *Client) EndorsedBy(mspIDs ...string) *Client {
	cp := *c
	cp.endorsers = append([]string{}, mspIDs...)
	return &cp
}

// WithCreator returns a copy of c that presents creator as its serialized
// identity instead of a generated certificate, to test how a contract
// handles identities it cannot parse.
func (c *Client) WithCreator(creator []byte) *Client {
	cp := *c
	cp.creator = slices.Clone(creator)
	return &cp
}

func (c *Client) creatorBytes() []byte {
	if c.creator != nil {
		return c.creator
	}
	creator, err := c.l.ids.serialized(c.mspID, c.role)
	if err != nil {
		c.l.tb.Fatalf("ledgertest: identity %s/%s: %v", c.mspID, c.role, err)
	}
	return creator
}

// context builds the transaction context contractapi would build: the
// stub and the client identity parsed from the creator. Like contractapi it
// ignores a parse error, leaving a nil identity in the context.
func newContext(s *stub) *contractapi.TransactionContext {
	ctx := new(contractapi.TransactionContext)
	ctx.SetStub(s)
	identity, _ := cid.New(s)
	ctx.SetClientIdentity(identity)
	return ctx
}

// Submit runs fn as one transaction and commits its writes if fn returns
// nil; if fn returns an error, the writes are discarded and the error is
// returned. A transaction that fails validation at commit returns a
// *ValidationError and applies nothing.
func (c *Client) Submit(fn func(contractapi.TransactionContextInterface) error) error {
	s := c.l.begin(c, nil)
	if err := fn(newContext(s)); err != nil {
		s.done = true
		return err
	}
	return c.l.commit(s, c.endorsers)
}

// Evaluate runs fn as a query: its writes are discarded whatever it returns.
func (c *Client) Evaluate(fn func(contractapi.TransactionContextInterface) error) error {
	s := c.l.begin(c, nil)
	defer func() { s.done = true }()
	return fn(newContext(s))
}

// ChaincodeError is an error response of a chaincode's Invoke.
type ChaincodeError struct {
	Status  int32
	Message string
}

func (e *ChaincodeError) Error() string {
	return fmt.Sprintf("chaincode response %d: %s", e.Status, e.Message)
}

// Invoke submits a transaction through the chaincode's Invoke, as a peer
// would: args are the function name and its string arguments. A success
// response is committed and its payload returned; an error response is
// returned as a *ChaincodeError with nothing written.
func (c *Client) Invoke(cc shim.Chaincode, function string, args ...string) ([]byte, error) {
	return c.invoke(cc, true, function, args)
}

// Query evaluates a transaction through the chaincode's Invoke and
// discards its writes.
func (c *Client) Query(cc shim.Chaincode, function string, args ...string) ([]byte, error) {
	return c.invoke(cc, false, function, args)
}

func (c *Client) invoke(cc shim.Chaincode, submit bool, function string, args []string) ([]byte, error) {
	raw := make([][]byte, 0, len(args)+1)
	raw = append(raw, []byte(function))
	for _, a := range args {
		raw = append(raw, []byte(a))
	}
	s := c.l.begin(c, raw)
	resp := cc.Invoke(s)
	if resp.GetStatus() >= shim.ERRORTHRESHOLD {
		s.done = true
		return nil, &ChaincodeError{Status: resp.GetStatus(), Message: resp.GetMessage()}
	}
	if !submit {
		s.done = true
		return resp.GetPayload(), nil
	}
	if err := c.l.commit(s, c.endorsers); err != nil {
		return nil, err
	}
	return resp.GetPayload(), nil
}

// Call submits fn as a transaction, like Submit, and returns its result.
func Call[T any](c *Client, fn func(contractapi.TransactionContextInterface) (T, error)) (T, error) {
	return withResult(c.Submit, fn)
}

// Eval evaluates fn as a query, like Evaluate, and returns its result.
func Eval[T any](c *Client, fn func(contractapi.TransactionContextInterface) (T, error)) (T, error) {
	return withResult(c.Evaluate, fn)
}

// withResult runs fn with run (Submit or Evaluate) and returns its result.
func withResult[T any](run func(func(contractapi.TransactionContextInterface) error) error, fn func(contractapi.TransactionContextInterface) (T, error)) (T, error) {
	var result T
	err := run(func(ctx contractapi.TransactionContextInterface) error {
		var err error
		result, err = fn(ctx)
		return err
	})
	return result, err
}
