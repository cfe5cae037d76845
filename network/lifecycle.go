package network

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// BuilderType is the chaincode package type govshare's external builder
// accepts: a package whose code is one prebuilt chaincode program.
const BuilderType = "govshare-binary"

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

// buildChaincodeBuilder builds the external builder program and renders the
// builder scripts that the agency's peers run.
func (a *Agency) buildChaincodeBuilder(ctx context.Context) error {
	program := filepath.Join(a.builderDir(), "govshare-ccbuilder")
	if !a.programIsFresh(program, "network/cmd/ccbuilder") {
		if err := a.goBuild(ctx, program, "./network/cmd/ccbuilder"); err != nil {
			return err
		}
	}
	for _, step := range []string{"detect", "build", "release", "run"} {
		name := "builders/govshare/bin/" + step
		if err := renderFile(name, filepath.Join(a.builderDir(), "bin", step), 0o755, map[string]string{"Program": program}); err != nil {
			return err
		}
	}
	return nil
}

// goBuild builds a main package of the source folder into out.
func (a *Agency) goBuild(ctx context.Context, out, pkg string) error {
	if a.opts.SourceDir == "" {
		return fmt.Errorf("build %s: no source folder given", pkg)
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", out, pkg)
	cmd.Dir = a.opts.SourceDir
	cmd.Env = append(cmd.Environ(), "CGO_ENABLED=0")
	if output, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %w: %s", pkg, err, lastLines(string(output), 10))
	}
	return nil
}

// programIsFresh reports whether a built program is newer than every source
// it can depend on in this repository: the given folders of the source
// tree, and go.mod and go.sum, which pin everything outside it. Then
// building it again would only relink the same program.
func (a *Agency) programIsFresh(program string, folders ...string) bool {
	built, err := os.Stat(program)
	if err != nil || a.opts.SourceDir == "" {
		return false
	}
	newer := false
	check := func(path string) {
		if info, err := os.Stat(path); err != nil || info.ModTime().After(built.ModTime()) {
			newer = true
		}
	}
	check(filepath.Join(a.opts.SourceDir, "go.mod"))
	check(filepath.Join(a.opts.SourceDir, "go.sum"))
	for _, folder := range folders {
		err = filepath.WalkDir(filepath.Join(a.opts.SourceDir, folder), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if newer {
				return filepath.SkipAll
			}
			if !d.IsDir() && strings.HasSuffix(path, ".go") {
				check(path)
			}
			return nil
		})
		if err != nil {
			return false
		}
	}
	return !newer
}

// packageFile is where the agency keeps the package of a chaincode.
func (a *Agency) packageFile(name string) string {
	return a.path("chaincode", "packages", name+".tar.gz")
}

// chaincodesOf returns the chaincodes of the channels the agency's
// organisation is a member of, one per name, in declaration order.
func (a *Agency) chaincodesOf() []*Chaincode {
	var out []*Chaincode
	seen := map[string]bool{}
	for _, ch := range a.Channels() {
		for _, cc := range ch.Chaincodes {
			if !seen[cc.Name] {
				seen[cc.Name] = true
				out = append(out, cc)
			}
		}
	}
	return out
}

// PackageChaincode builds every chaincode of the consortium's channels from
// the source folder and packages it for the external builder, replacing
// the packages the agency held. The programs are built at the same time. It
// returns the package files, which the agency may send to the others.
func (a *Agency) PackageChaincode(ctx context.Context) ([]string, error) {
	var chaincodes []*Chaincode
	seen := map[string]bool{}
	for _, ch := range a.Spec.Channels {
		for _, cc := range ch.Chaincodes {
			if !seen[cc.Name] {
				seen[cc.Name] = true
				chaincodes = append(chaincodes, cc)
			}
		}
	}
	files := make([]string, len(chaincodes))
	_, err := forEach(chaincodes, func(cc *Chaincode) (int, error) {
		path, err := a.buildPackage(ctx, cc)
		files[indexOf(chaincodes, cc)] = path
		return 0, err
	})
	return files, err
}

// buildPackage builds a chaincode program and packages it: a tar.gz holding
// metadata.json and code.tar.gz, which holds the program. The archives carry
// no times or owners, so the same program always makes the same package and
// the same package ID.
func (a *Agency) buildPackage(ctx context.Context, cc *Chaincode) (string, error) {
	program := a.path("chaincode", "programs", cc.Name)
	if !a.programIsFresh(program, "chaincode") {
		if err := a.goBuild(ctx, program, cc.Package); err != nil {
			return "", err
		}
	}
	binary, err := os.ReadFile(program)
	if err != nil {
		return "", fmt.Errorf("read built chaincode: %w", err)
	}
	code, err := tarGz([]tarEntry{{Name: "chaincode", Mode: 0o755, Data: binary}})
	if err != nil {
		return "", err
	}
	codeSum := sha256.Sum256(code)
	label := cc.Name + "_" + hex.EncodeToString(codeSum[:6])
	metadata, err := json.Marshal(packageMetadata{Type: BuilderType, Label: label})
	if err != nil {
		return "", fmt.Errorf("encode package metadata: %w", err)
	}
	pkg, err := tarGz([]tarEntry{{Name: "metadata.json", Mode: 0o644, Data: metadata}, {Name: "code.tar.gz", Mode: 0o644, Data: code}})
	if err != nil {
		return "", err
	}
	path := a.packageFile(cc.Name)
	return path, writeFile(path, pkg, 0o644)
}

type packageMetadata struct {
	Type  string `json:"type"`
	Label string `json:"label"`
}

// ImportPackage checks that a package file another agency sent is a
// govshare chaincode package of one of the agency's chaincodes and keeps it
// as that chaincode's package. It returns the chaincode's name.
func (a *Agency) ImportPackage(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read chaincode package: %w", err)
	}
	meta, err := readPackageMetadata(data)
	if err != nil {
		return "", fmt.Errorf("chaincode package %s: %w", path, err)
	}
	name, _, ok := strings.Cut(meta.Label, "_")
	if meta.Type != BuilderType || !ok {
		return "", fmt.Errorf("chaincode package %s is of type %q with label %q, not a govshare package (%s, label <name>_<hash>)", path, meta.Type, meta.Label, BuilderType)
	}
	for _, cc := range a.chaincodesOf() {
		if cc.Name == name {
			return name, writeFile(a.packageFile(name), data, 0o644)
		}
	}
	return "", fmt.Errorf("chaincode package %s is of %q, which runs on none of %s's channels", path, name, a.Org.Name)
}

func readPackageMetadata(pkg []byte) (*packageMetadata, error) {
	gz, err := gzip.NewReader(bytes.NewReader(pkg))
	if err != nil {
		return nil, fmt.Errorf("not a gzip archive: %w", err)
	}
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil, errors.New("no metadata.json in the package")
		}
		if err != nil {
			return nil, fmt.Errorf("read package: %w", err)
		}
		if hdr.Name != "metadata.json" {
			continue
		}
		var meta packageMetadata
		if err := json.NewDecoder(io.LimitReader(tr, 1<<16)).Decode(&meta); err != nil {
			return nil, fmt.Errorf("read metadata.json: %w", err)
		}
		return &meta, nil
	}
}

type tarEntry struct {
	Name string
	Mode int64
	Data []byte
}

func tarGz(entries []tarEntry) ([]byte, error) {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		hdr := &tar.Header{Name: e.Name, Mode: e.Mode, Size: int64(len(e.Data)), Typeflag: tar.TypeReg, Format: tar.FormatPAX}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, fmt.Errorf("package %s: %w", e.Name, err)
		}
		if _, err := tw.Write(e.Data); err != nil {
			return nil, fmt.Errorf("package %s: %w", e.Name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("close package: %w", err)
	}
	if err := gz.Close(); err != nil {
		return nil, fmt.Errorf("close package: %w", err)
	}
	return buf.Bytes(), nil
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
