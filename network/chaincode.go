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
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// BuilderType is the chaincode package type govshare's external builder
// accepts: a package whose code is one prebuilt chaincode program.
const BuilderType = "govshare-binary"

// deployment is one chaincode definition as it is to be committed.
type deployment struct {
	Channel   *Channel
	Chaincode *Chaincode
	Package   string // path of the package file
	PackageID string // label:sha256 of the package, as peers name it
	Label     string
	// Version names the package, the policy and the collections together:
	// when any of them changes, so does the version, and up commits the
	// next sequence.
	Version     string
	Collections string // path of the collection config, or empty
}

// buildChaincodeBuilder builds the external builder program and renders the
// builder scripts that peers run.
func (n *Network) buildChaincodeBuilder(ctx context.Context) error {
	program := filepath.Join(n.builderDir(), "govshare-ccbuilder")
	if err := n.goBuild(ctx, program, "./network/cmd/ccbuilder"); err != nil {
		return err
	}
	for _, step := range []string{"detect", "build", "release", "run"} {
		name := "builders/govshare/bin/" + step
		if err := renderFile(name, filepath.Join(n.builderDir(), "bin", step), 0o755, map[string]string{"Program": program}); err != nil {
			return err
		}
	}
	return nil
}

// goBuild builds a main package of the source folder into out.
func (n *Network) goBuild(ctx context.Context, out, pkg string) error {
	if n.opts.SourceDir == "" {
		return fmt.Errorf("build %s: no source folder given", pkg)
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", out, pkg)
	cmd.Dir = n.opts.SourceDir
	cmd.Env = append(cmd.Environ(), "CGO_ENABLED=0")
	if output, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %w: %s", pkg, err, lastLines(string(output), 10))
	}
	return nil
}

// programIsFresh reports whether a built chaincode program is newer than
// every source it can depend on in this repository: the chaincode tree
// (chaincode packages import nothing else of the module) and go.mod and
// go.sum, which pin everything outside it. Then building it again would
// only relink the same program.
func (n *Network) programIsFresh(program string) bool {
	built, err := os.Stat(program)
	if err != nil {
		return false
	}
	newer := false
	check := func(path string) {
		if info, err := os.Stat(path); err != nil || info.ModTime().After(built.ModTime()) {
			newer = true
		}
	}
	check(filepath.Join(n.opts.SourceDir, "go.mod"))
	check(filepath.Join(n.opts.SourceDir, "go.sum"))
	err = filepath.WalkDir(filepath.Join(n.opts.SourceDir, "chaincode"), func(path string, d fs.DirEntry, err error) error {
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
	return err == nil && !newer
}

// chaincodeExists reports whether a chaincode's source is present yet: the
// domain contracts are deployed as soon as they exist.
func (n *Network) chaincodeExists(cc *Chaincode) bool {
	if n.opts.SourceDir == "" {
		return false
	}
	sources, _ := filepath.Glob(filepath.Join(n.opts.SourceDir, cc.Package, "*.go"))
	return len(sources) > 0
}

// prepareDeployments builds and packages every chaincode whose source exists.
// Each program is built once, whatever the channels, and the programs are
// built at the same time.
func (n *Network) prepareDeployments(ctx context.Context) ([]*deployment, []string, error) {
	var sources []*Chaincode // one per Go package, in declaration order
	seen := map[string]bool{}
	for _, ch := range n.Spec.Channels {
		for _, cc := range ch.Chaincodes {
			if n.chaincodeExists(cc) && !seen[cc.Package] {
				seen[cc.Package] = true
				sources = append(sources, cc)
			}
		}
	}
	built := make([]*deployment, len(sources))
	if _, err := forEach(sources, func(cc *Chaincode) (int, error) {
		d, err := n.buildPackage(ctx, cc)
		built[indexOf(sources, cc)] = d
		return 0, err
	}); err != nil {
		return nil, nil, err
	}
	packages := map[string]*deployment{}
	for i, cc := range sources {
		packages[cc.Package] = built[i]
	}

	var deployments []*deployment
	var skipped []string
	for _, ch := range n.Spec.Channels {
		for _, cc := range ch.Chaincodes {
			pkg, ok := packages[cc.Package]
			if !ok {
				skipped = append(skipped, ch.Name+"/"+cc.Name)
				continue
			}
			d := &deployment{Channel: ch, Chaincode: cc, Package: pkg.Package, PackageID: pkg.PackageID, Label: pkg.Label}
			collections, err := render("collections.json.tmpl", cc.Collections)
			if err != nil {
				return nil, nil, err
			}
			if len(cc.Collections) > 0 {
				d.Collections = filepath.Join(n.chaincodeDir(ch, cc), "collections.json")
				if err := writeFile(d.Collections, collections, 0o644); err != nil {
					return nil, nil, err
				}
			}
			sum := sha256.Sum256([]byte(d.PackageID + "\n" + cc.EndorsementPolicy + "\n" + string(collections)))
			d.Version = hex.EncodeToString(sum[:6])
			deployments = append(deployments, d)
		}
	}
	return deployments, skipped, nil
}

// buildPackage builds a chaincode program and packages it for the external
// builder: a tar.gz holding metadata.json and code.tar.gz, which holds the
// program. The archives carry no times or owners, so the same program always
// makes the same package and the same package ID.
func (n *Network) buildPackage(ctx context.Context, cc *Chaincode) (*deployment, error) {
	dir := n.path("chaincode", "packages", cc.Name)
	program := filepath.Join(dir, "chaincode")
	if !n.programIsFresh(program) {
		if err := n.goBuild(ctx, program, cc.Package); err != nil {
			return nil, err
		}
	}
	binary, err := os.ReadFile(program)
	if err != nil {
		return nil, fmt.Errorf("read built chaincode: %w", err)
	}
	code, err := tarGz([]tarEntry{{Name: "chaincode", Mode: 0o755, Data: binary}})
	if err != nil {
		return nil, err
	}
	codeSum := sha256.Sum256(code)
	label := cc.Name + "_" + hex.EncodeToString(codeSum[:6])
	metadata, err := json.Marshal(struct {
		Type  string `json:"type"`
		Label string `json:"label"`
	}{BuilderType, label})
	if err != nil {
		return nil, fmt.Errorf("encode package metadata: %w", err)
	}
	pkg, err := tarGz([]tarEntry{{Name: "metadata.json", Mode: 0o644, Data: metadata}, {Name: "code.tar.gz", Mode: 0o644, Data: code}})
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, label+".tar.gz")
	if err := writeFile(path, pkg, 0o644); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(pkg)
	return &deployment{Package: path, Label: label, PackageID: label + ":" + hex.EncodeToString(sum[:])}, nil
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

// installPackages installs each package on every peer of the channels that
// use it, skipping peers that have it already.
func (n *Network) installPackages(ctx context.Context, deployments []*deployment) (int, error) {
	return forEach(n.Peers, func(p *Peer) (int, error) {
		installed, err := n.installedPackages(ctx, p)
		if err != nil {
			return 0, err
		}
		count := 0
		for _, d := range deployments {
			if !isMember(d.Channel, p.Org) || installed[d.PackageID] {
				continue
			}
			if _, err := n.peerCLI(ctx, p, "lifecycle", "chaincode", "install", d.Package); err != nil && !strings.Contains(err.Error(), "already successfully installed") {
				return count, err
			}
			installed[d.PackageID] = true
			count++
		}
		return count, nil
	})
}

func (n *Network) installedPackages(ctx context.Context, p *Peer) (map[string]bool, error) {
	out, err := n.peerCLI(ctx, p, "lifecycle", "chaincode", "queryinstalled", "--output", "json")
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

// Committed returns the definition of a chaincode committed on a channel, or
// nil if there is none.
func (n *Network) Committed(ctx context.Context, ch *Channel, name string) (*CommittedChaincode, error) {
	p := n.ChannelPeers(ch)[0]
	out, err := n.peerCLI(ctx, p, "lifecycle", "chaincode", "querycommitted", "-C", ch.Name, "-n", name, "--output", "json")
	if err != nil {
		if strings.Contains(err.Error(), "404 - namespace") {
			return nil, nil // "namespace X is not defined": nothing committed yet
		}
		return nil, err
	}
	return parseCommitted(ch.Name, name, jsonPart(out))
}

// deploy approves and commits a deployment's definition unless the same one
// is committed already. It reports whether it committed anything.
func (n *Network) deploy(ctx context.Context, d *deployment) (bool, error) {
	current, err := n.Committed(ctx, d.Channel, d.Chaincode.Name)
	if err != nil {
		return false, err
	}
	if current != nil && current.Version == d.Version {
		return false, nil
	}
	sequence := int64(1)
	if current != nil {
		sequence = current.Sequence + 1
	}
	definition := []string{"-C", d.Channel.Name, "-n", d.Chaincode.Name, "-v", d.Version,
		"--sequence", strconv.FormatInt(sequence, 10), "--signature-policy", d.Chaincode.EndorsementPolicy}
	if d.Collections != "" {
		definition = append(definition, "--collections-config", d.Collections)
	}
	peers := n.ChannelPeers(d.Channel)
	var wg sync.WaitGroup
	errs := make([]error, len(peers))
	for i, p := range peers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			args := append([]string{"lifecycle", "chaincode", "approveformyorg", "--package-id", d.PackageID, "--waitForEvent"}, definition...)
			errs[i] = retry(ctx, 45*time.Second, func() error {
				_, err := n.peerCLI(ctx, p, append(args, n.ordererArgs()...)...)
				if err != nil && strings.Contains(err.Error(), "unchanged content") {
					return nil // approved by an earlier, interrupted up
				}
				return err
			})
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return false, fmt.Errorf("approve %s on %s: %w", d.Chaincode.Name, d.Channel.Name, err)
	}
	args := append([]string{"lifecycle", "chaincode", "commit", "--waitForEvent"}, definition...)
	for _, p := range peers {
		args = append(args, "--peerAddresses", p.Address(), "--tlsRootCertFiles", p.tls(n).CA)
	}
	err = retry(ctx, 30*time.Second, func() error {
		_, err := n.peerCLI(ctx, peers[0], append(args, n.ordererArgs()...)...)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("commit %s on %s: %w", d.Chaincode.Name, d.Channel.Name, err)
	}
	return true, nil
}
