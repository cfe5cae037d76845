package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/govshare/govshare/network"
)

// org runs the commands of one agency's organisation: init, show, accept,
// start, stop, status, backup and restore.
func (g *globals) org(ctx context.Context, args []string) error {
	var dir, orgName, host string
	var portBase int
	var replace, asJSON bool
	var node, out string
	name, fs, err := subcommand("org", args, g.stderr, func(name string, fs *flag.FlagSet) bool {
		switch name {
		case "init":
			fs.StringVar(&orgName, "org", "", "the organisation the agency runs, by name or MSP ID (required)")
			fs.StringVar(&host, "host", "127.0.0.1", "the address the agency's nodes listen on and are reached at")
			fs.IntVar(&portBase, "port-base", network.DefaultPortBase, "first port of the agency's nodes")
		case "accept":
			fs.BoolVar(&replace, "replace", false, "accept a definition that differs from the one accepted before")
		case "status":
			fs.BoolVar(&asJSON, "json", false, "print one JSON document")
		case "stop":
			fs.StringVar(&node, "node", "", "stop only this node (e.g. an orderer retired from the consenters), keeping its data")
		case "backup":
			fs.StringVar(&out, "out", "", "the backup file to write, e.g. auditoffice-2026-12-02.tar.gz (required)")
		case "show", "start", "restore":
		default:
			return false
		}
		if name != "show" {
			fs.StringVar(&dir, "dir", "", "the agency's folder (required)")
		}
		return true
	})
	if err != nil {
		return err
	}
	if name != "show" && dir == "" {
		return usagef("org %s: -dir is required", name)
	}
	spec := g.spec
	switch name {
	case "init":
		if orgName == "" {
			return usagef("org init: -org is required")
		}
		a, err := network.NewAgency(spec, network.AgencyOptions{Dir: dir, Organization: orgName, FabricDir: g.fabric, SourceDir: g.source, Host: host, PortBase: portBase, Progress: g.stdout})
		if err != nil {
			return err
		}
		d, err := a.Init(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(g.stdout, "agency %s set up in %s; its public definition is %s:\n", a.Org.Name, a.Dir(), a.DefinitionFile())
		d.Describe(g.stdout)
		fmt.Fprintln(g.stdout, "Send the definition to the other agencies and read them its fingerprint over a channel you trust.")
		return nil
	case "show":
		if fs.NArg() == 0 {
			return usagef("org show: name one or more definition files")
		}
		var errs []error
		for _, path := range fs.Args() {
			d, err := network.LoadDefinition(path)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			d.Describe(g.stdout)
			if err := d.CheckAgainst(spec); err != nil {
				fmt.Fprintf(g.stdout, "  DOES NOT MATCH the consortium's description: %v\n", err)
			}
		}
		return errors.Join(errs...)
	case "restore":
		if fs.NArg() != 1 {
			return usagef("org restore: name one backup file")
		}
		return g.restore(ctx, fs.Arg(0), dir)
	}
	a, err := network.OpenAgency(spec, dir, g.fabric, g.source, g.stdout)
	if err != nil {
		return err
	}
	switch name {
	case "accept":
		if fs.NArg() == 0 {
			return usagef("org accept: name one or more definition files")
		}
		for _, path := range fs.Args() {
			d, err := network.LoadDefinition(path)
			if err != nil {
				return err
			}
			if err := a.Accept(d, replace); err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "%s accepted the definition of %s (fingerprint %s)\n", a.Org.Name, d.Name, d.Fingerprint())
		}
		return nil
	case "backup":
		if out == "" {
			return usagef("org backup: -out is required")
		}
		return g.backup(ctx, a, out)
	case "start":
		started, err := a.Start(ctx)
		fmt.Fprintf(g.stdout, "%s: %d nodes started\n", a.Org.Name, started)
		return err
	case "stop":
		if node != "" {
			if err := a.StopNode(ctx, node); err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "%s: %s stopped; its data kept\n", a.Org.Name, node)
			return nil
		}
		stopped, err := a.Stop(ctx)
		fmt.Fprintf(g.stdout, "%s: %d processes stopped; data kept in %s\n", a.Org.Name, stopped, a.Dir())
		return err
	default:
		s, err := a.Status(ctx)
		if err != nil {
			return err
		}
		return g.printStatus(s, asJSON)
	}
}

// backup writes a backup of the stopped agency to the file out, whole or
// not at all.
func (g *globals) backup(ctx context.Context, a *network.Agency, out string) error {
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s exists: choose another file", out)
	}
	f, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*")
	if err != nil {
		return fmt.Errorf("write backup: %w", err)
	}
	defer os.Remove(f.Name()) // nothing to remove after the rename
	m, err := a.Backup(ctx, f)
	if err == nil {
		err = f.Sync()
	}
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	if err == nil {
		err = os.Rename(f.Name(), out)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "%s: backup of %s written to %s: %d files, %.1f MB before compression\n",
		m.Organization, m.Folder, out, len(m.Files), float64(m.Bytes())/1e6)
	return nil
}

// restore restores a backup into the folder dir.
func (g *globals) restore(ctx context.Context, file, dir string) error {
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("read backup: %w", err)
	}
	defer f.Close()
	m, err := network.RestoreAgency(ctx, f, dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "%s: backup of %s taken %s restored into %s (%d files checked); `govnet org start -dir %s` starts its nodes, which catch up from the others\n",
		m.Organization, m.Folder, m.Created.Format(time.RFC3339), dir, len(m.Files), dir)
	return nil
}
