package network

import (
	"bytes"
	"errors"
	"maps"
	"slices"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"
)

// A channel's configuration changes by a config update: a read set, naming
// the versions of what the change depends on, and a write set, holding
// what changes with its version one higher (and new elements at version 0).
// An element whose version rises must be signed for by its modification
// policy; the orderers apply the update only if the read set's versions
// are still current, so two updates made from the same configuration
// cannot both apply.

// ErrNoChange is returned by computeUpdate when the two configurations are
// the same: there is nothing to propose.
var ErrNoChange = errors.New("the channel's configuration already is what the description makes")

// computeUpdate returns the config update that takes a channel from its
// current configuration to the wanted one. Versions in wanted are ignored:
// elements are compared by content, and current's versions count.
func computeUpdate(channel string, current, wanted *common.Config) (*common.ConfigUpdate, error) {
	read, write, changed := groupDelta(current.GetChannelGroup(), wanted.GetChannelGroup())
	if !changed {
		return nil, ErrNoChange
	}
	return &common.ConfigUpdate{ChannelId: channel, ReadSet: read, WriteSet: write}, nil
}

// groupDelta compares one group of the current configuration with the
// wanted one. An unchanged group reads and writes its version only. A
// group whose own members (groups, values or policies added or removed) or
// modification policy change is written whole at the next version, its
// unchanged members by version; a group changed only deeper down keeps its
// version and carries only the changed members.
func groupDelta(current, wanted *common.ConfigGroup) (read, write *common.ConfigGroup, changed bool) {
	read = &common.ConfigGroup{Version: current.GetVersion(), Groups: map[string]*common.ConfigGroup{},
		Values: map[string]*common.ConfigValue{}, Policies: map[string]*common.ConfigPolicy{}}
	write = &common.ConfigGroup{Version: current.GetVersion(), Groups: map[string]*common.ConfigGroup{},
		Values: map[string]*common.ConfigValue{}, Policies: map[string]*common.ConfigPolicy{}}
	membership := current.GetModPolicy() != wanted.GetModPolicy()

	sameGroups := map[string]*common.ConfigGroup{}
	for _, name := range unionKeys(current.GetGroups(), wanted.GetGroups()) {
		cur, inCurrent := current.GetGroups()[name]
		want, inWanted := wanted.GetGroups()[name]
		switch {
		case !inWanted:
			membership = true
		case !inCurrent:
			membership = true
			write.Groups[name] = newGroup(want)
			changed = true
		default:
			r, w, c := groupDelta(cur, want)
			if c {
				read.Groups[name], write.Groups[name], changed = r, w, true
			} else {
				sameGroups[name] = &common.ConfigGroup{Version: cur.GetVersion()}
			}
		}
	}
	sameValues := map[string]*common.ConfigValue{}
	for _, name := range unionKeys(current.GetValues(), wanted.GetValues()) {
		cur, inCurrent := current.GetValues()[name]
		want, inWanted := wanted.GetValues()[name]
		switch {
		case !inWanted:
			membership = true
		case !inCurrent:
			membership = true
			write.Values[name] = &common.ConfigValue{ModPolicy: want.GetModPolicy(), Value: want.GetValue()}
			changed = true
		case cur.GetModPolicy() == want.GetModPolicy() && bytes.Equal(cur.GetValue(), want.GetValue()):
			sameValues[name] = &common.ConfigValue{Version: cur.GetVersion()}
		default:
			write.Values[name] = &common.ConfigValue{Version: cur.GetVersion() + 1, ModPolicy: want.GetModPolicy(), Value: want.GetValue()}
			changed = true
		}
	}
	samePolicies := map[string]*common.ConfigPolicy{}
	for _, name := range unionKeys(current.GetPolicies(), wanted.GetPolicies()) {
		cur, inCurrent := current.GetPolicies()[name]
		want, inWanted := wanted.GetPolicies()[name]
		switch {
		case !inWanted:
			membership = true
		case !inCurrent:
			membership = true
			write.Policies[name] = &common.ConfigPolicy{ModPolicy: want.GetModPolicy(), Policy: want.GetPolicy()}
			changed = true
		case cur.GetModPolicy() == want.GetModPolicy() && proto.Equal(cur.GetPolicy(), want.GetPolicy()):
			samePolicies[name] = &common.ConfigPolicy{Version: cur.GetVersion()}
		default:
			write.Policies[name] = &common.ConfigPolicy{Version: cur.GetVersion() + 1, ModPolicy: want.GetModPolicy(), Policy: want.GetPolicy()}
			changed = true
		}
	}
	if membership {
		// The group is rewritten: every member it keeps is named, the
		// unchanged ones by their current version, in both sets.
		changed = true
		write.Version, write.ModPolicy = current.GetVersion()+1, wanted.GetModPolicy()
		maps.Copy(read.Groups, sameGroups)
		maps.Copy(write.Groups, sameGroups)
		maps.Copy(read.Values, sameValues)
		maps.Copy(write.Values, sameValues)
		maps.Copy(read.Policies, samePolicies)
		maps.Copy(write.Policies, samePolicies)
	}
	if !changed {
		return &common.ConfigGroup{Version: current.GetVersion()}, &common.ConfigGroup{Version: current.GetVersion()}, false
	}
	return read, write, true
}

// newGroup copies a group that the update adds, at version 0 throughout.
func newGroup(g *common.ConfigGroup) *common.ConfigGroup {
	out := &common.ConfigGroup{ModPolicy: g.GetModPolicy(), Groups: map[string]*common.ConfigGroup{},
		Values: map[string]*common.ConfigValue{}, Policies: map[string]*common.ConfigPolicy{}}
	for name, sub := range g.GetGroups() {
		out.Groups[name] = newGroup(sub)
	}
	for name, v := range g.GetValues() {
		out.Values[name] = &common.ConfigValue{ModPolicy: v.GetModPolicy(), Value: v.GetValue()}
	}
	for name, p := range g.GetPolicies() {
		out.Policies[name] = &common.ConfigPolicy{ModPolicy: p.GetModPolicy(), Policy: p.GetPolicy()}
	}
	return out
}

func unionKeys[V any](a, b map[string]V) []string {
	keys := slices.Collect(maps.Keys(a))
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// Change is one element a config update changes, for people to read.
type Change struct {
	// Path is the element's place, e.g. "Channel/Application/UniversityCMSP".
	Path string `json:"path"`
	// What is "added", "removed" or "changed".
	What string `json:"what"`
}

// describeChanges lists what an update changes, comparing the current
// configuration with the one the update makes, in a stable order.
func describeChanges(current, wanted *common.Config) []Change {
	var out []Change
	describeGroup("Channel", current.GetChannelGroup(), wanted.GetChannelGroup(), &out)
	return out
}

func describeGroup(path string, current, wanted *common.ConfigGroup, out *[]Change) {
	for _, name := range unionKeys(current.GetGroups(), wanted.GetGroups()) {
		cur, inCurrent := current.GetGroups()[name]
		want, inWanted := wanted.GetGroups()[name]
		switch {
		case !inWanted:
			*out = append(*out, Change{path + "/" + name, "removed"})
		case !inCurrent:
			*out = append(*out, Change{path + "/" + name, "added"})
		default:
			describeGroup(path+"/"+name, cur, want, out)
		}
	}
	for _, name := range unionKeys(current.GetValues(), wanted.GetValues()) {
		cur, inCurrent := current.GetValues()[name]
		want, inWanted := wanted.GetValues()[name]
		switch {
		case !inWanted:
			*out = append(*out, Change{path + "/values/" + name, "removed"})
		case !inCurrent:
			*out = append(*out, Change{path + "/values/" + name, "added"})
		case !bytes.Equal(cur.GetValue(), want.GetValue()) || cur.GetModPolicy() != want.GetModPolicy():
			*out = append(*out, Change{path + "/values/" + name, "changed"})
		}
	}
	for _, name := range unionKeys(current.GetPolicies(), wanted.GetPolicies()) {
		cur, inCurrent := current.GetPolicies()[name]
		want, inWanted := wanted.GetPolicies()[name]
		switch {
		case !inWanted:
			*out = append(*out, Change{path + "/policies/" + name, "removed"})
		case !inCurrent:
			*out = append(*out, Change{path + "/policies/" + name, "added"})
		case !proto.Equal(cur.GetPolicy(), want.GetPolicy()) || cur.GetModPolicy() != want.GetModPolicy():
			*out = append(*out, Change{path + "/policies/" + name, "changed"})
		}
	}
}
