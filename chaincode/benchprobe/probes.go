package benchprobe

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/foundation"
)

// MaxKeyLength and MaxValueLength bound what a caller may write.
const (
	MaxKeyLength   = 256
	MaxValueLength = 64 * 1024
)

// keyPrefix keeps Put's keys apart from anything else in the namespace;
// guardedPrefix keeps PutGuarded's apart from Put's.
const (
	keyPrefix     = "baseline~"
	guardedPrefix = "baseline-guarded~"
)

// Contract is the benchprobe contract.
type Contract struct {
	contractapi.Contract
}

// New returns the contract, named "benchprobe" like its chaincode.
func New() *Contract {
	return &Contract{Contract: contractapi.Contract{Name: "benchprobe"}}
}

// GetEvaluateTransactions lists the query functions.
func (c *Contract) GetEvaluateTransactions() []string { return []string{"Get", "GetGuarded"} }

// admit checks that the caller of function is an administrator of a member
// of the channel other than OversightMSP: the rule of every probe.
func admit(ctx contractapi.TransactionContextInterface, function string) error {
	var channel string
	if ctx != nil && ctx.GetStub() != nil {
		channel = ctx.GetStub().GetChannelID()
	}
	_, err := foundation.Allow(function, foundation.Role(consortium.RoleAdmin, consortium.ChannelWriters(channel)...)).Check(ctx)
	return err
}

// Put writes value under key without reading it first (a blind write), so
// that concurrent Puts never conflict. The channel's endorsement policy
// applies.
//
// Access: role "admin" of a member of the channel other than OversightMSP.
func (c *Contract) Put(ctx contractapi.TransactionContextInterface, key, value string) error {
	if err := admit(ctx, "Put"); err != nil {
		return err
	}
	return put(ctx, key, value)
}

// put is Put after its access rule.
func put(ctx contractapi.TransactionContextInterface, key, value string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if len(value) > MaxValueLength {
		return fmt.Errorf("value of %d bytes is longer than %d", len(value), MaxValueLength)
	}
	if err := ctx.GetStub().PutState(keyPrefix+key, []byte(value)); err != nil {
		return fmt.Errorf("put %q: %w", key, err)
	}
	return nil
}

// PutGuarded writes value under key and gives the key a key-level
// endorsement policy requiring a peer of every organisation in orgs
// (comma-separated MSP IDs of the channel's members), as the domain
// contracts do for the records they protect. Against Put it measures what
// such a policy costs the network: the policy is written with the value,
// and every peer checks the endorsements against it when it validates a
// later change of the key. Guarded keys are apart from Put's, so that a
// policy never binds a key Put writes.
//
// Access: role "admin" of a member of the channel other than OversightMSP.
func (c *Contract) PutGuarded(ctx contractapi.TransactionContextInterface, key, value, orgs string) error {
	if err := admit(ctx, "PutGuarded"); err != nil {
		return err
	}
	if err := checkKey(key); err != nil {
		return err
	}
	if len(value) > MaxValueLength {
		return fmt.Errorf("value of %d bytes is longer than %d", len(value), MaxValueLength)
	}
	if err := checkMembers(ctx.GetStub().GetChannelID(), "orgs", orgs); err != nil {
		return err
	}
	policy, err := foundation.EndorsementPolicy(strings.Split(orgs, ",")...)
	if err != nil {
		return err
	}
	stub := ctx.GetStub()
	stub.StartWriteBatch() // one message for both writes, as the domain contracts send
	if err := stub.PutState(guardedPrefix+key, []byte(value)); err != nil {
		return fmt.Errorf("put %q: %w", key, err)
	}
	if err := stub.SetStateValidationParameter(guardedPrefix+key, policy); err != nil {
		return fmt.Errorf("set endorsement policy of %q: %w", key, err)
	}
	return nil
}

// GetGuarded returns the value PutGuarded wrote under key.
//
// Access: role "admin" of a member of the channel other than OversightMSP.
func (c *Contract) GetGuarded(ctx contractapi.TransactionContextInterface, key string) (string, error) {
	if err := admit(ctx, "GetGuarded"); err != nil {
		return "", err
	}
	return get(ctx, guardedPrefix, key)
}

// TransientPrivate is the transient data entry PutPrivate writes to the
// collection.
const TransientPrivate = "private"

// PutPrivate writes value under key like Put, and the transient entry
// "private" under key in the private data collection collection, as the
// domain contracts write personal data and sealed content. Against Put it
// measures what a private write costs the network: dissemination and
// storage on the collection's members, hashes and their validation on
// every peer.
//
// Access: role "admin" of a member of the channel other than OversightMSP.
func (c *Contract) PutPrivate(ctx contractapi.TransactionContextInterface, key, value, collection string) error {
	if err := admit(ctx, "PutPrivate"); err != nil {
		return err
	}
	if collection == "" {
		return errors.New("collection is empty")
	}
	private, err := privateValue(ctx)
	if err != nil {
		return err
	}
	if len(private) == 0 {
		return fmt.Errorf("transient %q is required: the private value", TransientPrivate)
	}
	ctx.GetStub().StartWriteBatch()
	if err := put(ctx, key, value); err != nil {
		return err
	}
	if err := ctx.GetStub().PutPrivateData(collection, keyPrefix+key, private); err != nil {
		return fmt.Errorf("put %q in collection %s: %w", key, collection, err)
	}
	return nil
}

// Get returns the value under key, or an error if there is none.
//
// Access: role "admin" of a member of the channel other than OversightMSP.
func (c *Contract) Get(ctx contractapi.TransactionContextInterface, key string) (string, error) {
	if err := admit(ctx, "Get"); err != nil {
		return "", err
	}
	return get(ctx, keyPrefix, key)
}

// get reads key under prefix; a missing key is an error.
func get(ctx contractapi.TransactionContextInterface, prefix, key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	value, err := ctx.GetStub().GetState(prefix + key)
	if err != nil {
		return "", fmt.Errorf("get %q: %w", key, err)
	}
	if value == nil {
		return "", fmt.Errorf("no value under key %q", key)
	}
	return string(value), nil
}

// privateValue returns the transient entry TransientPrivate, nil if there
// is none, refusing one longer than MaxValueLength.
func privateValue(ctx contractapi.TransactionContextInterface) ([]byte, error) {
	transient, err := ctx.GetStub().GetTransient()
	if err != nil {
		return nil, fmt.Errorf("read transient data: %w", err)
	}
	private := transient[TransientPrivate]
	if len(private) > MaxValueLength {
		return nil, fmt.Errorf("transient %q of %d bytes is longer than %d", TransientPrivate, len(private), MaxValueLength)
	}
	return private, nil
}

// checkMembers refuses orgs (comma-separated MSP IDs, named field in the
// error) unless every one is a member of channel.
func checkMembers(channel, field, orgs string) error {
	members := consortium.ChannelMembers(channel)
	for _, id := range strings.Split(orgs, ",") {
		if !slices.Contains(members, id) {
			return fmt.Errorf("%s %q: %q is not a member of channel %s (members: %s)", field, orgs, id, channel, strings.Join(members, ", "))
		}
	}
	return nil
}

func checkKey(key string) error {
	switch {
	case key == "":
		return errors.New("key is empty")
	case len(key) > MaxKeyLength:
		return fmt.Errorf("key of %d bytes is longer than %d", len(key), MaxKeyLength)
	}
	return nil
}
