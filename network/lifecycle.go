package network

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Chaincode lifecycle, as Fabric means it: the consortium agrees on one
// package per chaincode (one agency builds it from the source everyone can
// read, or each builds it: the build is reproducible, so the packages are
// the same bytes), each agency installs it on its own peers and approves the
// chaincode definition (name, version, sequence, endorsement policy,
// collections) with its own administrator, and any member commits the
// definition once the channel's lifecycle policy (a majority of its members)
// has approved it. A new package, policy or collection set is a new version,
// approved and committed at the next sequence in the same way.

// deployment is one chaincode definition as the agency would approve it.
type deployment struct {
	Channel   *Channel
	Chaincode *Chaincode
	Package   string // path of the package file
	PackageID string // label:sha256 of the package, as peers name it
	// Version names the package, the policy and the collections together:
	// when any of them changes, so does the version, and the definition
	// moves to the next sequence.
	Version     string
	Collections string // path of the collection config, or empty
}

// deployments returns the chaincode definitions the agency would approve:
// one per chaincode of each of its channels whose package it holds. The
// others are named in missing.
func (a *Agency) deployments() (out []*deployment, missing []string, err error) {
	for _, ch := range a.Channels() {
		for _, cc := range ch.Chaincodes {
			d, err := a.deployment(ch, cc)
			if errors.Is(err, os.ErrNotExist) {
				missing = append(missing, ch.Name+"/"+cc.Name)
				continue
			}
			if err != nil {
				return nil, nil, err
			}
			out = append(out, d)
		}
	}
	return out, missing, nil
}

func (a *Agency) deployment(ch *Channel, cc *Chaincode) (*deployment, error) {
	pkg, err := os.ReadFile(a.packageFile(cc.Name))
	if err != nil {
		return nil, err
	}
	meta, err := readPackageMetadata(pkg)
	if err != nil {
		return nil, fmt.Errorf("package of %s: %w", cc.Name, err)
	}
	sum := sha256.Sum256(pkg)
	d := &deployment{Channel: ch, Chaincode: cc, Package: a.packageFile(cc.Name), PackageID: meta.Label + ":" + hex.EncodeToString(sum[:])}
	collections, err := render("collections.json.tmpl", cc.Collections)
	if err != nil {
		return nil, err
	}
	if len(cc.Collections) > 0 {
		d.Collections = filepath.Join(a.chaincodeDir(ch, cc), "collections.json")
		if err := writeFile(d.Collections, collections, 0o644); err != nil {
			return nil, err
		}
	}
	version := sha256.Sum256([]byte(d.PackageID + "\n" + cc.EndorsementPolicy + "\n" + string(collections)))
	d.Version = hex.EncodeToString(version[:6])
	return d, nil
}

// InstallChaincode installs the agency's chaincode packages on each of its
// peers that lacks them. It reports how many installs it made.
func (a *Agency) InstallChaincode(ctx context.Context) (int, error) {
	deployments, _, err := a.deployments()
	if err != nil {
		return 0, err
	}
	return forEach(a.Peers, func(p *Peer) (int, error) {
		installed, err := a.installedPackages(ctx, p)
		if err != nil {
			return 0, err
		}
		count := 0
		for _, d := range deployments {
			if installed[d.PackageID] {
				continue
			}
			if _, err := a.peerCLI(ctx, p, "lifecycle", "chaincode", "install", d.Package); err != nil && !strings.Contains(err.Error(), "already successfully installed") {
				return count, err
			}
			installed[d.PackageID] = true
			count++
		}
		return count, nil
	})
}

func (a *Agency) installedPackages(ctx context.Context, p *Peer) (map[string]bool, error) {
	out, err := a.peerCLI(ctx, p, "lifecycle", "chaincode", "queryinstalled", "--output", "json")
	if err != nil {
		return nil, err
	}
	var list struct {
		InstalledChaincodes []struct {
			PackageID string `json:"package_id"`
		} `json:"installed_chaincodes"`
	}
	if err := json.Unmarshal(jsonPart(out), &list); err != nil {
		return nil, fmt.Errorf("read installed chaincodes of %s: %w", p.ID(), err)
	}
	installed := map[string]bool{}
	for _, c := range list.InstalledChaincodes {
		installed[c.PackageID] = true
	}
	return installed, nil
}

// CommittedChaincode is a chaincode definition committed on a channel.
type CommittedChaincode struct {
	Channel  string `json:"channel"`
	Name     string `json:"name"`
	Version  string `json:"version"`
	Sequence int64  `json:"sequence"`
	// EndorsementPolicy is the committed signature policy, written in
	// Fabric's policy language.
	EndorsementPolicy string   `json:"endorsementPolicy"`
	Collections       []string `json:"collections,omitempty"`
}

// Committed returns the definition of a chaincode committed on a channel
// the agency is a member of, as its first peer knows it, or nil if there is
// none.
func (a *Agency) Committed(ctx context.Context, ch *Channel, name string) (*CommittedChaincode, error) {
	if !isMember(ch, a.Org) || len(a.Peers) == 0 {
		return nil, fmt.Errorf("%s is not a member of %s", a.Org.Name, ch.Name)
	}
	out, err := a.peerCLI(ctx, a.Peers[0], "lifecycle", "chaincode", "querycommitted", "-C", ch.Name, "-n", name, "--output", "json")
	if err != nil {
		if strings.Contains(err.Error(), "404 - namespace") {
			return nil, nil // "namespace X is not defined": nothing committed yet
		}
		return nil, err
	}
	return parseCommitted(ch.Name, name, jsonPart(out))
}

// definitionArgs returns the peer CLI flags of a deployment's definition at
// a sequence.
func definitionArgs(d *deployment, sequence int64) []string {
	args := []string{"-C", d.Channel.Name, "-n", d.Chaincode.Name, "-v", d.Version,
		"--sequence", strconv.FormatInt(sequence, 10), "--signature-policy", d.Chaincode.EndorsementPolicy}
	if d.Collections != "" {
		args = append(args, "--collections-config", d.Collections)
	}
	return args
}

// pendingSequence returns the sequence at which d is to be defined, and
// whether it is committed already.
func (a *Agency) pendingSequence(ctx context.Context, d *deployment) (int64, bool, error) {
	current, err := a.Committed(ctx, d.Channel, d.Chaincode.Name)
	if err != nil {
		return 0, false, err
	}
	if current == nil {
		return 1, false, nil
	}
	if current.Version == d.Version {
		return current.Sequence, true, nil
	}
	return current.Sequence + 1, false, nil
}

// ApproveChaincode approves, as the agency's administrator, the definition
// of every chaincode of its channels whose package it holds and that is not
// committed at that version yet. It reports how many approvals it made.
func (a *Agency) ApproveChaincode(ctx context.Context) (int, error) {
	deployments, _, err := a.deployments()
	if err != nil {
		return 0, err
	}
	return forEach(deployments, func(d *deployment) (int, error) {
		sequence, committed, err := a.pendingSequence(ctx, d)
		if err != nil || committed {
			return 0, err
		}
		args := append([]string{"lifecycle", "chaincode", "approveformyorg", "--package-id", d.PackageID, "--waitForEvent"}, definitionArgs(d, sequence)...)
		err = retry(ctx, 45*time.Second, func() error {
			return a.withOrderer(ctx, func(orderer []string) error {
				_, err := a.peerCLI(ctx, a.Peers[0], append(args, orderer...)...)
				if err != nil && strings.Contains(err.Error(), "unchanged content") {
					return nil // approved before
				}
				return err
			})
		})
		if err != nil {
			return 0, fmt.Errorf("approve %s on %s: %w", d.Chaincode.Name, d.Channel.Name, err)
		}
		return 1, nil
	})
}

// Readiness is how far a chaincode definition is from being committed.
type Readiness struct {
	Channel   string `json:"channel"`
	Chaincode string `json:"chaincode"`
	Version   string `json:"version"`
	Sequence  int64  `json:"sequence"`
	// Committed says the definition is committed already.
	Committed bool `json:"committed"`
	// Approved and Missing list the channel members (MSP IDs) that have and
	// have not approved the definition.
	Approved []string `json:"approved"`
	Missing  []string `json:"missing"`
	// Required is how many approvals the channel's lifecycle policy (a
	// majority of its members) needs.
	Required int `json:"required"`
}

// Ready reports whether the definition can be committed.
func (r *Readiness) Ready() bool { return !r.Committed && len(r.Approved) >= r.Required }

// String says where the definition stands, in one line.
func (r *Readiness) String() string {
	state := fmt.Sprintf("%s on %s, version %s, sequence %d: ", r.Chaincode, r.Channel, r.Version, r.Sequence)
	switch {
	case r.Committed:
		return state + "committed"
	case r.Ready():
		return state + fmt.Sprintf("ready to commit: approved by %s (%d of %d needed)", joinOrNone(r.Approved), len(r.Approved), r.Required)
	default:
		return state + fmt.Sprintf("needs %d more approval(s): approved by %s; missing %s (%d of %d needed)",
			r.Required-len(r.Approved), joinOrNone(r.Approved), joinOrNone(r.Missing), len(r.Approved), r.Required)
	}
}

func joinOrNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// Readiness reports, for the definition of a chaincode that the agency's
// package and the description make, which members have approved it and
// which are missing.
func (a *Agency) Readiness(ctx context.Context, channel, name string) (*Readiness, error) {
	d, err := a.deploymentNamed(channel, name)
	if err != nil {
		return nil, err
	}
	return a.readiness(ctx, d)
}

func (a *Agency) deploymentNamed(channel, name string) (*deployment, error) {
	ch, err := a.Spec.Channel(channel)
	if err != nil {
		return nil, err
	}
	if !isMember(ch, a.Org) {
		return nil, fmt.Errorf("%s is not a member of %s", a.Org.Name, channel)
	}
	for _, cc := range ch.Chaincodes {
		if cc.Name == name {
			d, err := a.deployment(ch, cc)
			if errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("%s holds no package of %s (`govnet chaincode package` or import one)", a.Org.Name, name)
			}
			return d, err
		}
	}
	return nil, fmt.Errorf("channel %s runs no chaincode %q", channel, name)
}

func (a *Agency) readiness(ctx context.Context, d *deployment) (*Readiness, error) {
	sequence, committed, err := a.pendingSequence(ctx, d)
	if err != nil {
		return nil, err
	}
	r := &Readiness{Channel: d.Channel.Name, Chaincode: d.Chaincode.Name, Version: d.Version, Sequence: sequence, Committed: committed,
		Required: len(d.Channel.Members)/2 + 1}
	if committed {
		for _, m := range d.Channel.Members {
			org, _ := a.Spec.Organization(m)
			r.Approved = append(r.Approved, org.MSPID)
		}
		return r, nil
	}
	args := append([]string{"lifecycle", "chaincode", "checkcommitreadiness", "--output", "json"}, definitionArgs(d, sequence)...)
	out, err := a.peerCLI(ctx, a.Peers[0], args...)
	if err != nil {
		return nil, err
	}
	var answer struct {
		Approvals map[string]bool `json:"approvals"`
	}
	if err := json.Unmarshal(jsonPart(out), &answer); err != nil {
		return nil, fmt.Errorf("read commit readiness of %s on %s: %w", d.Chaincode.Name, d.Channel.Name, err)
	}
	for _, m := range d.Channel.Members {
		org, _ := a.Spec.Organization(m)
		if answer.Approvals[org.MSPID] {
			r.Approved = append(r.Approved, org.MSPID)
		} else {
			r.Missing = append(r.Missing, org.MSPID)
		}
	}
	return r, nil
}

// ErrNotApproved is returned by CommitChaincode when too few members have
// approved the definition.
var ErrNotApproved = errors.New("the channel's lifecycle policy is not met")

// CommitChaincode commits the definition of a chaincode once a majority of
// the channel's members has approved it, collecting the commit's
// endorsements from the approving members' peers. Too few approvals are
// refused with ErrNotApproved, naming who approved and who is missing; a
// definition committed already is left alone. It reports whether it
// committed.
func (a *Agency) CommitChaincode(ctx context.Context, channel, name string) (bool, error) {
	d, err := a.deploymentNamed(channel, name)
	if err != nil {
		return false, err
	}
	r, err := a.readiness(ctx, d)
	if err != nil {
		return false, err
	}
	if r.Committed {
		return false, nil
	}
	if !r.Ready() {
		return false, fmt.Errorf("commit %s: %w: %s", name, ErrNotApproved, r)
	}
	args := append([]string{"lifecycle", "chaincode", "commit", "--waitForEvent"}, definitionArgs(d, r.Sequence)...)
	for _, mspID := range r.Approved {
		org, err := a.Spec.Organization(mspID)
		if err != nil {
			return false, err
		}
		def, err := a.definitionOf(org)
		if err != nil {
			return false, err
		}
		for _, p := range def.Peers {
			args = append(args, "--peerAddresses", p.Address, "--tlsRootCertFiles", a.tlsRootOf(org))
		}
	}
	err = retry(ctx, 30*time.Second, func() error {
		return a.withOrderer(ctx, func(orderer []string) error {
			_, err := a.peerCLI(ctx, a.Peers[0], append(args, orderer...)...)
			return err
		})
	})
	if err != nil {
		return false, fmt.Errorf("commit %s on %s: %w", name, channel, err)
	}
	return true, nil
}

func indexOf[T comparable](items []T, item T) int {
	for i, it := range items {
		if it == item {
			return i
		}
	}
	return -1
}
