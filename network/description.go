package network

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// The consortium's description is the one source of everything the network
// is made of. network.Consortium() is the built-in one; agencies that change
// the consortium (a new member, a changed policy, an orderer moved to new
// hardware) agree on a new description, each runs with it
// (`govnet -description FILE`), and the changes it makes to a running
// channel go through signed configuration updates and chaincode definitions.

// LoadSpec reads a consortium description written as JSON (the encoding of
// Spec that EncodeSpec writes), strictly: an unknown field is an error. The
// description is validated.
func LoadSpec(path string) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read consortium description: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var spec Spec
	if err := dec.Decode(&spec); err != nil {
		return nil, fmt.Errorf("consortium description %s: %w", path, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("consortium description %s: unexpected data after the description", path)
	}
	if err := spec.Validate(); err != nil {
		return nil, fmt.Errorf("consortium description %s: %w", path, err)
	}
	return &spec, nil
}

// EncodeSpec writes a description as indented JSON, as LoadSpec reads it.
func EncodeSpec(spec *Spec) ([]byte, error) {
	data, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode consortium description: %w", err)
	}
	return append(data, '\n'), nil
}

// Clone returns a deep copy of the description, to change without touching
// the original.
func (s *Spec) Clone() *Spec {
	c := *s
	c.Organizations = make([]*Organization, len(s.Organizations))
	for i, o := range s.Organizations {
		org := *o
		org.Peers, org.Orderers, org.Roles = slices.Clone(o.Peers), slices.Clone(o.Orderers), slices.Clone(o.Roles)
		c.Organizations[i] = &org
	}
	c.Channels = make([]*Channel, len(s.Channels))
	for i, ch := range s.Channels {
		channel := *ch
		channel.Members = slices.Clone(ch.Members)
		channel.Chaincodes = make([]*Chaincode, len(ch.Chaincodes))
		for j, cc := range ch.Chaincodes {
			chaincode := *cc
			chaincode.Collections = nil
			for _, col := range cc.Collections {
				collection := *col
				collection.Members = slices.Clone(col.Members)
				chaincode.Collections = append(chaincode.Collections, &collection)
			}
			channel.Chaincodes[j] = &chaincode
		}
		c.Channels[i] = &channel
	}
	return &c
}
