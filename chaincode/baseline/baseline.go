package baseline

import (
	"errors"
	"fmt"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
)

// MaxKeyLength and MaxValueLength bound what a caller may write.
const (
	MaxKeyLength   = 256
	MaxValueLength = 64 * 1024
)

// keyPrefix keeps baseline's keys apart from anything else in the namespace.
const keyPrefix = "baseline~"

// Contract is the baseline contract.
type Contract struct {
	contractapi.Contract
}

// Put writes value under key without reading it first (a blind write), so
// that concurrent Puts never conflict. Any member of the channel may call it;
// the channel's endorsement policy still applies.
func (c *Contract) Put(ctx contractapi.TransactionContextInterface, key, value string) error {
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

// Get returns the value under key, or an error if there is none.
func (c *Contract) Get(ctx contractapi.TransactionContextInterface, key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	value, err := ctx.GetStub().GetState(keyPrefix + key)
	if err != nil {
		return "", fmt.Errorf("get %q: %w", key, err)
	}
	if value == nil {
		return "", fmt.Errorf("no value under key %q", key)
	}
	return string(value), nil
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
