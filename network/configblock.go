package network

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"
)

// ConfigOfBlock decodes the channel ID and the channel configuration that a
// configuration block (a genesis block, or any later config block) carries.
func ConfigOfBlock(data []byte) (channel string, config *common.Config, err error) {
	var block common.Block
	if err := proto.Unmarshal(data, &block); err != nil {
		return "", nil, fmt.Errorf("decode block: %w", err)
	}
	if len(block.GetData().GetData()) != 1 {
		return "", nil, fmt.Errorf("block %d holds %d transactions; a configuration block holds one", block.GetHeader().GetNumber(), len(block.GetData().GetData()))
	}
	var env common.Envelope
	if err := proto.Unmarshal(block.GetData().GetData()[0], &env); err != nil {
		return "", nil, fmt.Errorf("decode block envelope: %w", err)
	}
	var payload common.Payload
	if err := proto.Unmarshal(env.GetPayload(), &payload); err != nil {
		return "", nil, fmt.Errorf("decode block payload: %w", err)
	}
	var header common.ChannelHeader
	if err := proto.Unmarshal(payload.GetHeader().GetChannelHeader(), &header); err != nil {
		return "", nil, fmt.Errorf("decode channel header: %w", err)
	}
	if common.HeaderType(header.GetType()) != common.HeaderType_CONFIG {
		return "", nil, fmt.Errorf("block %d of %s is not a configuration block (type %s)", block.GetHeader().GetNumber(), header.GetChannelId(), common.HeaderType(header.GetType()))
	}
	var envelope common.ConfigEnvelope
	if err := proto.Unmarshal(payload.GetData(), &envelope); err != nil {
		return "", nil, fmt.Errorf("decode configuration: %w", err)
	}
	if envelope.GetConfig().GetChannelGroup() == nil {
		return "", nil, errors.New("the block's configuration has no channel group")
	}
	return header.GetChannelId(), envelope.GetConfig(), nil
}

// diffConfig returns where two channel configurations first differ, as a
// path such as "Channel/Application/UniversityAMSP/values/MSP", or "" if
// they are the same.
func diffConfig(got, want *common.Config) string {
	if got.GetSequence() != want.GetSequence() {
		return fmt.Sprintf("sequence (%d, want %d)", got.GetSequence(), want.GetSequence())
	}
	return diffGroup("Channel", got.GetChannelGroup(), want.GetChannelGroup())
}

func diffGroup(path string, got, want *common.ConfigGroup) string {
	if got.GetVersion() != want.GetVersion() || got.GetModPolicy() != want.GetModPolicy() {
		return path + " (version or modification policy)"
	}
	if d := diffKeys(path+"/groups", got.GetGroups(), want.GetGroups()); d != "" {
		return d
	}
	for _, k := range slices.Sorted(maps.Keys(want.GetGroups())) {
		if d := diffGroup(path+"/"+k, got.GetGroups()[k], want.GetGroups()[k]); d != "" {
			return d
		}
	}
	if d := diffKeys(path+"/values", got.GetValues(), want.GetValues()); d != "" {
		return d
	}
	for _, k := range slices.Sorted(maps.Keys(want.GetValues())) {
		g, w := got.GetValues()[k], want.GetValues()[k]
		if g.GetVersion() != w.GetVersion() || g.GetModPolicy() != w.GetModPolicy() || !bytes.Equal(g.GetValue(), w.GetValue()) {
			return path + "/values/" + k
		}
	}
	if d := diffKeys(path+"/policies", got.GetPolicies(), want.GetPolicies()); d != "" {
		return d
	}
	for _, k := range slices.Sorted(maps.Keys(want.GetPolicies())) {
		if !proto.Equal(got.GetPolicies()[k], want.GetPolicies()[k]) {
			return path + "/policies/" + k
		}
	}
	return ""
}

// diffKeys reports the first key one map has and the other lacks.
func diffKeys[V any](path string, got, want map[string]V) string {
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if _, ok := got[k]; !ok {
			return path + "/" + k + " (missing)"
		}
	}
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[k]; !ok {
			return path + "/" + k + " (not expected)"
		}
	}
	return ""
}
