package baseline

import (
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/foundation"
)

// MaxValueLength bounds a value, in characters: a health check writes a
// word.
const MaxValueLength = 256

// EventWritten is the event of Put.
const EventWritten = "BaselineWritten"

// checkKeys are the keys Put writes: baseline.check/key.
var checkKeys = foundation.NewKeyType("baseline.check", "key")

// Check is what Put writes under a key.
type Check struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Contract is the baseline contract.
type Contract struct {
	contractapi.Contract
}

// New returns the contract, named "baseline" like its chaincode.
func New() *Contract {
	return &Contract{Contract: contractapi.Contract{Name: "baseline"}}
}

// GetEvaluateTransactions lists the query functions.
func (c *Contract) GetEvaluateTransactions() []string { return []string{"Get"} }

// channel returns the channel of the transaction, "" without a context.
func channel(ctx contractapi.TransactionContextInterface) string {
	if ctx == nil || ctx.GetStub() == nil {
		return ""
	}
	return ctx.GetStub().GetChannelID()
}

// Put writes value under key without reading it first (a blind write), so
// that concurrent writes never conflict.
//
// Access: role "admin" of a member of the channel other than OversightMSP
// (consortium.ChannelWriters).
// Arguments: key, an identifier; value, text of at most MaxValueLength
// characters.
// Writes: baseline.check/key.
// Event: BaselineWritten.
func (c *Contract) Put(ctx contractapi.TransactionContextInterface, key, value string) error {
	tx, err := foundation.Begin(ctx, foundation.Allow("Put",
		foundation.Role(consortium.RoleAdmin, consortium.ChannelWriters(channel(ctx))...)))
	if err != nil {
		return err
	}
	if err := foundation.Arguments(func(v *foundation.Fields) {
		v.Identifier("key", key)
		v.Text("value", value, MaxValueLength)
	}); err != nil {
		return err
	}
	k, err := checkKeys.Key(key)
	if err != nil {
		return err
	}
	if err := tx.Put(k, Check{Key: key, Value: value}); err != nil {
		return err
	}
	return tx.Emit(EventWritten)
}

// Get returns the value Put wrote under key.
//
// Access: any identity of the channel's members.
// Errors: ErrNotFound if nothing was written under key.
func (c *Contract) Get(ctx contractapi.TransactionContextInterface, key string) (string, error) {
	tx, err := foundation.Begin(ctx, foundation.Allow("Get", foundation.AnyRole(consortium.ChannelMembers(channel(ctx))...)))
	if err != nil {
		return "", err
	}
	if err := foundation.Arguments(func(v *foundation.Fields) { v.Identifier("key", key) }); err != nil {
		return "", err
	}
	k, err := checkKeys.Key(key)
	if err != nil {
		return "", err
	}
	var check Check
	found, err := tx.Get(k, &check)
	if err != nil {
		return "", err
	}
	if !found {
		return "", foundation.NotFound("baseline key", key)
	}
	return check.Value, nil
}
