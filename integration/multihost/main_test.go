//go:build integration

// Package multihost runs the consortium with every agency on its own host:
// one network namespace per organisation on a switch (package network/lan),
// each agency set up, started and operated with govnet's per-agency
// commands run on its own host, from its own folder, with only the public
// files an operator would send passed between them.
package multihost

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govshare/govshare/integration/internal/procs"
	"github.com/govshare/govshare/network"
	"github.com/govshare/govshare/network/lan"
)

// consortium is the network every test in the package runs against.
var consortium *deployment

// deployment is the consortium spread over the LAN's hosts.
type deployment struct {
	spec     *network.Spec
	lan      *lan.LAN
	root     string        // organizations/<Org>/ are the agencies' folders
	agencies []*agencyHost // in the description's order
	byName   map[string]*agencyHost
	govnet   string // programs built for the test
	govctl   string
	fabric   string
	source   string
	timings  []string // how long each step of the bring-up took
	// description is the consortium's description in force when it is
	// taken down: "" for the built-in one, or a file the agencies agreed on
	// since (governance_test.go).
	description string
}

// agencyHost is one agency on its host.
type agencyHost struct {
	org    *network.Organization
	host   *lan.Host
	dir    string
	mail   string // what other agencies sent it
	agency *network.Agency
}

// agencyPortBase is the first port of every agency's nodes: each host has
// its own address, so all agencies use the same ports.
const agencyPortBase = 7000

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if err := lan.Available(); err != nil {
		fmt.Printf("multihost: skipped: %v\n", err)
		return 0
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	if removed, err := lan.Sweep(ctx); err != nil || len(removed) > 0 {
		fmt.Printf("multihost: removed namespaces of runs that were killed: %v (%v)\n", removed, err)
	}
	root, err := os.MkdirTemp("", "govshare-multihost-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	d := &deployment{spec: network.Consortium(), root: root, byName: map[string]*agencyHost{}}
	code := 1
	if err := d.up(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "multihost: bringing the consortium up:", err)
	} else {
		consortium = d
		code = m.Run()
	}
	if err := d.down(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "multihost: taking the consortium down:", err)
		code = 1
	}
	if code == 0 && os.Getenv("GOVSHARE_KEEP_STATE") == "" {
		_ = os.RemoveAll(root)
	} else {
		fmt.Printf("multihost: state kept in %s\n", root)
	}
	return code
}

// up builds the programs, makes the LAN and brings the consortium up agency
// by agency, timing each step.
func (d *deployment) up(ctx context.Context) error {
	d.fabric = os.Getenv("GOVSHARE_FABRIC_DIR")
	if d.fabric == "" {
		d.fabric = filepath.Join("..", "..", ".cache", "fabric")
	}
	var err error
	if d.fabric, err = filepath.Abs(d.fabric); err != nil {
		return err
	}
	if d.source, err = filepath.Abs(filepath.Join("..", "..")); err != nil {
		return err
	}
	bin := filepath.Join(d.root, "bin")
	d.govnet, d.govctl = filepath.Join(bin, "govnet"), filepath.Join(bin, "govctl")
	for out, pkg := range map[string]string{d.govnet: "./network/cmd/govnet", d.govctl: "./gateway-client/cmd/govctl"} {
		cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
		cmd.Dir = d.source
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("build %s: %w: %s", pkg, err, out)
		}
	}
	var names []string
	for _, org := range d.spec.Organizations {
		names = append(names, org.Name)
	}
	// One more host, idle until a university joins the running consortium
	// (governance_test.go).
	names = append(names, joiningUniversity)
	if d.lan, err = lan.New(ctx, names...); err != nil {
		return err
	}
	for i, org := range d.spec.Organizations {
		ah := &agencyHost{org: org, host: d.lan.Hosts[i], dir: filepath.Join(d.root, "organizations", org.Name), mail: filepath.Join(d.root, "mail", org.Name)}
		d.agencies = append(d.agencies, ah)
		d.byName[org.Name] = ah
		fmt.Printf("multihost: %-14s on host %s (namespace %s)\n", org.Name, ah.host.Address, ah.host.Namespace)
	}
	total := time.Now()
	steps := []struct {
		name string
		run  func(context.Context) error
	}{
		{"set up each agency (CA, identities, definition)", d.initAgencies},
		{"exchange and accept definitions", d.exchangeDefinitions},
		{"genesis blocks made by one, checked by each", d.makeChannels},
		{"start each agency's nodes and join its channels", d.joinChannels},
		{"chaincode: package, install and approve by each, commit", d.deployChaincode},
	}
	for _, step := range steps {
		start := time.Now()
		if err := step.run(ctx); err != nil {
			return fmt.Errorf("%s: %w", step.name, err)
		}
		d.timings = append(d.timings, fmt.Sprintf("%-52s %6.1fs", step.name, time.Since(start).Seconds()))
	}
	d.timings = append(d.timings, fmt.Sprintf("%-52s %6.1fs", "the whole consortium, agency by agency", time.Since(total).Seconds()))
	for _, line := range d.timings {
		fmt.Println("multihost:", line)
	}
	for _, ah := range d.agencies {
		if ah.agency, err = network.OpenAgency(d.spec, ah.dir, d.fabric, d.source, nil); err != nil {
			return err
		}
	}
	return nil
}

// govnet runs govnet on an agency's host and returns its output.
func (d *deployment) govnetOn(ctx context.Context, ah *agencyHost, args ...string) (string, error) {
	cmd := ah.host.Command(ctx, d.govnet, append([]string{"-fabric", d.fabric, "-source", d.source}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("govnet %s on %s's host: %w\n%s", strings.Join(args, " "), ah.org.Name, err, out)
	}
	return string(out), nil
}

// send copies a public file into an agency's mail folder, as an operator
// sends it, and returns where it arrived.
func send(file string, to *agencyHost) (string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(to.mail, 0o755); err != nil {
		return "", err
	}
	arrived := filepath.Join(to.mail, filepath.Base(file))
	return arrived, os.WriteFile(arrived, data, 0o644)
}

func (d *deployment) initAgencies(ctx context.Context) error {
	for _, ah := range d.agencies {
		if _, err := d.govnetOn(ctx, ah, "org", "init", "-dir", ah.dir, "-org", ah.org.Name, "-host", ah.host.Address,
			"-port-base", fmt.Sprint(agencyPortBase)); err != nil {
			return err
		}
	}
	return nil
}

func (d *deployment) exchangeDefinitions(ctx context.Context) error {
	for _, to := range d.agencies {
		var received []string
		for _, from := range d.agencies {
			if from == to {
				continue
			}
			renamed := filepath.Join(d.root, "outbox", from.org.Name+".json")
			if err := os.MkdirAll(filepath.Dir(renamed), 0o755); err != nil {
				return err
			}
			data, err := os.ReadFile(filepath.Join(from.dir, "definition.json"))
			if err != nil {
				return err
			}
			if err := os.WriteFile(renamed, data, 0o644); err != nil {
				return err
			}
			arrived, err := send(renamed, to)
			if err != nil {
				return err
			}
			received = append(received, arrived)
		}
		if _, err := d.govnetOn(ctx, to, append([]string{"org", "accept", "-dir", to.dir}, received...)...); err != nil {
			return err
		}
	}
	return nil
}

// convener is the agency that makes the genesis blocks and the packages:
// the first that runs an orderer, as on one machine.
func (d *deployment) convener() *agencyHost {
	for _, ah := range d.agencies {
		if len(ah.org.Orderers) > 0 {
			return ah
		}
	}
	return d.agencies[0]
}

func (d *deployment) makeChannels(ctx context.Context) error {
	convener := d.convener()
	out, err := d.govnetOn(ctx, convener, "channel", "genesis", "-dir", convener.dir)
	if err != nil {
		return err
	}
	blocks := strings.Fields(out)
	if len(blocks) != len(d.spec.Channels) {
		return fmt.Errorf("channel genesis printed %q, want %d blocks", out, len(d.spec.Channels))
	}
	for _, to := range d.agencies {
		if to == convener {
			continue
		}
		for _, b := range blocks {
			if _, err := send(b, to); err != nil {
				return err
			}
		}
	}
	return nil
}

func (d *deployment) joinChannels(ctx context.Context) error {
	for _, ah := range d.agencies {
		if _, err := d.govnetOn(ctx, ah, "org", "start", "-dir", ah.dir); err != nil {
			return err
		}
	}
	for _, ah := range d.agencies {
		blocks, _ := filepath.Glob(filepath.Join(ah.mail, "*.block"))
		if _, err := d.govnetOn(ctx, ah, append([]string{"channel", "join", "-dir", ah.dir}, blocks...)...); err != nil {
			return err
		}
	}
	return nil
}

func (d *deployment) deployChaincode(ctx context.Context) error {
	convener := d.convener()
	out, err := d.govnetOn(ctx, convener, "chaincode", "package", "-dir", convener.dir)
	if err != nil {
		return err
	}
	packages := strings.Fields(out)
	for _, ah := range d.agencies {
		args := []string{"chaincode", "deploy", "-dir", ah.dir}
		if ah != convener {
			for _, pkg := range packages {
				if !d.runs(ah, pkg) {
					continue
				}
				arrived, err := send(pkg, ah)
				if err != nil {
					return err
				}
				args = append(args, arrived)
			}
		}
		if _, err := d.govnetOn(ctx, ah, args...); err != nil {
			return err
		}
	}
	for _, ch := range d.spec.Channels {
		if _, err := d.govnetOn(ctx, d.byName[ch.Members[0]], "chaincode", "commit", "-dir", d.byName[ch.Members[0]].dir, "-channel", ch.Name); err != nil {
			return err
		}
	}
	return nil
}

// runs reports whether one of the agency's channels runs the chaincode of
// a package file (named <chaincode>.tar.gz).
func (d *deployment) runs(ah *agencyHost, pkg string) bool {
	name := strings.TrimSuffix(filepath.Base(pkg), ".tar.gz")
	for _, ch := range d.spec.ChannelsOf(ah.org) {
		for _, cc := range ch.Chaincodes {
			if cc.Name == name {
				return true
			}
		}
	}
	return false
}

// down stops every agency on its host, removes the LAN and checks that no
// process the consortium started is left.
func (d *deployment) down(ctx context.Context) error {
	pids := procs.Started(filepath.Join(d.root, "organizations"))
	var errs []string
	for _, ah := range d.agencies {
		if _, err := os.Stat(filepath.Join(ah.dir, "agency.json")); err != nil {
			continue // never set up
		}
		args := []string{"org", "stop", "-dir", ah.dir}
		if d.description != "" {
			args = append([]string{"-description", d.description}, args...)
		}
		if _, err := d.govnetOn(ctx, ah, args...); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if left := procs.Leftovers(d.root, pids); len(left) > 0 {
		errs = append(errs, fmt.Sprintf("processes left after every agency stopped: %v (killed %d)", left, procs.KillLeftovers(d.root, pids)))
	}
	if d.lan != nil {
		if err := d.lan.Close(ctx); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	fmt.Printf("multihost: every agency stopped, none of its %d node processes left, namespaces removed\n", len(pids))
	return nil
}
