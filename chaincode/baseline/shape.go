package baseline

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/foundation"
)

// shapePrefix keeps PutShaped's keys apart from Put's and PutGuarded's.
const shapePrefix = "baseline-shape~"

// MaxShapeKeys bounds each list of keys in a Shape; domain writes touch
// fewer than ten keys.
const MaxShapeKeys = 16

// Shape is the ledger footprint of a write: what PutShaped reads and
// writes. A domain write and a PutShaped of the same shape ask the same of
// the peers (the same reads, writes, key-level policies, private data and
// event, of about the same sizes), so the gap between the two is the cost
// of the contract's own logic, and the gap between PutShaped and Put is
// what the network charges for the footprint.
type Shape struct {
	// Reads are keys read, in one request, before anything is written;
	// Put's keys, which may or may not exist.
	Reads []string `json:"reads,omitempty"`
	// PrivateRead, when set, is a key of a PutShaped private value whose
	// hash is read in Collection, as a contract checks what a collection
	// already holds.
	PrivateRead string `json:"privateRead,omitempty"`
	// Updates are PutShaped keys read and written again, as a running total
	// is; each gets a value of UpdateBytes.
	Updates     []string `json:"updates,omitempty"`
	UpdateBytes int      `json:"updateBytes,omitempty"`
	// Writes are the sizes of the new values written, under key/0,
	// key/1, and so on.
	Writes []int `json:"writes"`
	// Guard, when set, lists the MSP IDs (comma-separated) whose peers a
	// key-level endorsement policy requires on every new key.
	Guard string `json:"guard,omitempty"`
	// Collection, when set, receives the transient entry "private" under
	// key; it is also where PrivateRead reads.
	Collection string `json:"collection,omitempty"`
	// EventBytes, when not 0, is the size of an event the write emits.
	EventBytes int `json:"eventBytes,omitempty"`
	// ResponseBytes is the size of what PutShaped returns, as a domain
	// write returns its record: the response is part of the transaction.
	ResponseBytes int `json:"responseBytes,omitempty"`
}

// PutShaped writes the footprint shape describes (see Shape) under key,
// without any domain logic, and returns shape.ResponseBytes of text: the
// baseline's twin of a domain write. Any member of the channel may call
// it; the channel's endorsement policy still applies.
func (c *Contract) PutShaped(ctx contractapi.TransactionContextInterface, key, shape string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	var s Shape
	dec := json.NewDecoder(strings.NewReader(shape))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return "", fmt.Errorf("shape: %w", err)
	}
	if err := s.check(ctx.GetStub().GetChannelID()); err != nil {
		return "", fmt.Errorf("shape: %w", err)
	}
	if err := s.write(ctx, key); err != nil {
		return "", err
	}
	return string(filler(s.ResponseBytes)), nil
}

// write reads and writes the footprint s describes under key.
func (s *Shape) write(ctx contractapi.TransactionContextInterface, key string) error {
	stub := ctx.GetStub()
	var private []byte
	if s.Collection != "" {
		transient, err := stub.GetTransient()
		if err != nil {
			return fmt.Errorf("read transient data: %w", err)
		}
		private = transient[TransientPrivate]
		if len(private) > MaxValueLength {
			return fmt.Errorf("transient %q of %d bytes is longer than %d", TransientPrivate, len(private), MaxValueLength)
		}
	}
	if len(s.Reads) > 0 {
		keys := make([]string, len(s.Reads))
		for i, r := range s.Reads {
			keys[i] = keyPrefix + r
		}
		if _, err := stub.GetMultipleStates(keys...); err != nil {
			return fmt.Errorf("read %d keys: %w", len(keys), err)
		}
	}
	if s.PrivateRead != "" {
		if _, err := stub.GetPrivateDataHash(s.Collection, shapePrefix+s.PrivateRead); err != nil {
			return fmt.Errorf("read the hash of %q in collection %s: %w", s.PrivateRead, s.Collection, err)
		}
	}
	for _, u := range s.Updates {
		if _, err := stub.GetState(shapePrefix + u); err != nil {
			return fmt.Errorf("read %q: %w", u, err)
		}
	}
	var policy []byte
	if s.Guard != "" {
		var err error
		if policy, err = foundation.EndorsementPolicy(strings.Split(s.Guard, ",")...); err != nil {
			return err
		}
	}
	stub.StartWriteBatch()
	written := make([]string, 0, len(s.Writes)+len(s.Updates)+1)
	for _, u := range s.Updates {
		if err := stub.PutState(shapePrefix+u, filler(s.UpdateBytes)); err != nil {
			return fmt.Errorf("put %q: %w", u, err)
		}
		written = append(written, u)
	}
	for i, size := range s.Writes {
		k := key + "/" + strconv.Itoa(i)
		if err := stub.PutState(shapePrefix+k, filler(size)); err != nil {
			return fmt.Errorf("put %q: %w", k, err)
		}
		if policy != nil {
			if err := stub.SetStateValidationParameter(shapePrefix+k, policy); err != nil {
				return fmt.Errorf("set endorsement policy of %q: %w", k, err)
			}
		}
		written = append(written, k)
	}
	if len(private) > 0 {
		if err := stub.PutPrivateData(s.Collection, shapePrefix+key, private); err != nil {
			return fmt.Errorf("put %q in collection %s: %w", key, s.Collection, err)
		}
		written = append(written, s.Collection+"/"+key)
	}
	if s.EventBytes > 0 {
		payload, err := json.Marshal(struct {
			Keys []string `json:"keys"`
			Pad  string   `json:"pad"`
		}{written, ""})
		if err != nil {
			return fmt.Errorf("encode event: %w", err)
		}
		if pad := s.EventBytes - len(payload); pad > 0 {
			payload = append(payload[:len(payload)-2], append(filler(pad), '"', '}')...)
		}
		if err := stub.SetEvent("ShapedWrite", payload); err != nil {
			return fmt.Errorf("set event: %w", err)
		}
	}
	return nil
}

// check refuses a shape that is malformed or larger than any domain write.
func (s *Shape) check(channel string) error {
	for _, list := range []struct {
		name string
		keys []string
	}{{"reads", s.Reads}, {"updates", s.Updates}} {
		if len(list.keys) > MaxShapeKeys {
			return fmt.Errorf("%s: %d keys, more than %d", list.name, len(list.keys), MaxShapeKeys)
		}
		for _, k := range list.keys {
			if err := checkKey(k); err != nil {
				return fmt.Errorf("%s: %w", list.name, err)
			}
		}
	}
	switch {
	case len(s.Writes) == 0 && len(s.Updates) == 0:
		return errors.New("writes: at least one write or update is needed")
	case len(s.Writes) > MaxShapeKeys:
		return fmt.Errorf("writes: %d values, more than %d", len(s.Writes), MaxShapeKeys)
	case s.PrivateRead != "" && s.Collection == "":
		return errors.New("privateRead: needs a collection")
	case s.UpdateBytes < 0 || s.UpdateBytes > MaxValueLength:
		return fmt.Errorf("updateBytes: %d is not between 0 and %d", s.UpdateBytes, MaxValueLength)
	case s.EventBytes < 0 || s.EventBytes > MaxValueLength:
		return fmt.Errorf("eventBytes: %d is not between 0 and %d", s.EventBytes, MaxValueLength)
	case s.ResponseBytes < 0 || s.ResponseBytes > MaxValueLength:
		return fmt.Errorf("responseBytes: %d is not between 0 and %d", s.ResponseBytes, MaxValueLength)
	}
	if s.PrivateRead != "" {
		if err := checkKey(s.PrivateRead); err != nil {
			return fmt.Errorf("privateRead: %w", err)
		}
	}
	for i, size := range s.Writes {
		if size < 1 || size > MaxValueLength {
			return fmt.Errorf("writes[%d]: %d bytes is not between 1 and %d", i, size, MaxValueLength)
		}
	}
	if s.Guard != "" {
		members := consortium.ChannelMembers(channel)
		for _, id := range strings.Split(s.Guard, ",") {
			if !slices.Contains(members, id) {
				return fmt.Errorf("guard %q: %q is not a member of channel %s (members: %s)", s.Guard, id, channel, strings.Join(members, ", "))
			}
		}
	}
	return nil
}

// filler returns size bytes of printable text, the same for every call.
func filler(size int) []byte {
	const unit = "govshare shaped value "
	b := []byte(strings.Repeat(unit, size/len(unit)+1))
	return b[:size]
}
