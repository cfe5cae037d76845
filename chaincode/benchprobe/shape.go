package benchprobe

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

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
	// LaterReads are more of Put's keys, read in a second request after
	// Reads, as a contract reads the keys it learns from its first read.
	LaterReads []string `json:"laterReads,omitempty"`
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
// twin of a domain write. The channel's endorsement policy applies. The
// shape is decoded as strictly as the domain contracts' requests
// (foundation.DecodeRequest).
//
// Access: role "admin" of a member of the channel other than OversightMSP.
func (c *Contract) PutShaped(ctx contractapi.TransactionContextInterface, key, shape string) (string, error) {
	if err := admit(ctx, "PutShaped"); err != nil {
		return "", err
	}
	if err := checkKey(key); err != nil {
		return "", err
	}
	var s Shape
	if err := foundation.DecodeRequest(shape, &s); err != nil {
		return "", fmt.Errorf("shape: %w", err)
	}
	if err := s.Check(ctx.GetStub().GetChannelID(), key); err != nil {
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
		var err error
		if private, err = privateValue(ctx); err != nil {
			return err
		}
	}
	for _, reads := range [][]string{s.Reads, s.LaterReads} {
		if len(reads) == 0 {
			continue
		}
		keys := make([]string, len(reads))
		for i, r := range reads {
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

// Validate implements foundation.Request: it refuses a shape that is
// malformed or larger than any domain write, or whose reads or updates
// name a key twice (the read-write set would hold it once).
func (s *Shape) Validate(v *foundation.Fields) {
	for _, list := range []struct {
		name    string
		keys    []string
		earlier []string // keys a key of this list must not repeat
	}{{"reads", s.Reads, nil}, {"laterReads", s.LaterReads, s.Reads}, {"updates", s.Updates, nil}} {
		if len(list.keys) > MaxShapeKeys {
			v.Problem(list.name, fmt.Sprintf("%d keys, more than %d", len(list.keys), MaxShapeKeys))
		}
		for i, k := range list.keys {
			field := fmt.Sprintf("%s[%d]", list.name, i)
			if err := checkKey(k); err != nil {
				v.Problem(field, err.Error())
			} else if slices.Contains(list.keys[:i], k) || slices.Contains(list.earlier, k) {
				v.Problem(field, fmt.Sprintf("%q is named twice", k))
			}
		}
	}
	switch {
	case len(s.Writes) == 0 && len(s.Updates) == 0:
		v.Problem("writes", "at least one write or update is needed")
	case len(s.Writes) > MaxShapeKeys:
		v.Problem("writes", fmt.Sprintf("%d values, more than %d", len(s.Writes), MaxShapeKeys))
	}
	for i, size := range s.Writes {
		if size < 1 || size > MaxValueLength {
			v.Problem(fmt.Sprintf("writes[%d]", i), fmt.Sprintf("%d bytes is not between 1 and %d", size, MaxValueLength))
		}
	}
	// an empty value would delete the key, not update it
	if len(s.Updates) > 0 && (s.UpdateBytes < 1 || s.UpdateBytes > MaxValueLength) {
		v.Problem("updateBytes", fmt.Sprintf("%d is not between 1 and %d", s.UpdateBytes, MaxValueLength))
	}
	if s.PrivateRead != "" {
		if err := checkKey(s.PrivateRead); err != nil {
			v.Problem("privateRead", err.Error())
		}
		if s.Collection == "" {
			v.Problem("privateRead", "needs a collection")
		}
	}
	for _, f := range []struct {
		name  string
		value int
	}{{"eventBytes", s.EventBytes}, {"responseBytes", s.ResponseBytes}} {
		if f.value < 0 || f.value > MaxValueLength {
			v.Problem(f.name, fmt.Sprintf("%d is not between 0 and %d", f.value, MaxValueLength))
		}
	}
}

// Check refuses what Validate cannot see: a guard naming an organisation
// that is not a member of channel, and an update of one of the keys the
// shape writes under key.
func (s *Shape) Check(channel, key string) error {
	if s.Guard != "" {
		if err := checkMembers(channel, "guard", s.Guard); err != nil {
			return err
		}
	}
	for _, u := range s.Updates {
		if rest, ok := strings.CutPrefix(u, key+"/"); ok {
			if i, err := strconv.Atoi(rest); err == nil && i >= 0 && i < len(s.Writes) {
				return fmt.Errorf("updates: %q is also one of the new keys under %q", u, key)
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
