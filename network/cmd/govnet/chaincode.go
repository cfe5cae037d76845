package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"

	"github.com/govshare/govshare/network"
)

// chaincode runs the chaincode lifecycle commands of one agency: package,
// deploy (install and approve), status and commit.
func (g *globals) chaincode(ctx context.Context, args []string) error {
	var dir, channel, ccName string
	var asJSON bool
	name, fs, err := subcommand("chaincode", args, g.stderr, func(name string, fs *flag.FlagSet) bool {
		switch name {
		case "package", "deploy":
		case "status":
			fs.StringVar(&channel, "channel", "", "only this channel")
			fs.BoolVar(&asJSON, "json", false, "print JSON")
		case "commit":
			fs.StringVar(&channel, "channel", "", "the channel (required)")
			fs.StringVar(&ccName, "name", "", "only this chaincode (default: every chaincode of the channel)")
		default:
			return false
		}
		fs.StringVar(&dir, "dir", "", "the agency's folder (required)")
		return true
	})
	if err != nil {
		return err
	}
	if dir == "" {
		return usagef("chaincode %s: -dir is required", name)
	}
	a, err := network.OpenAgency(g.spec, dir, g.fabric, g.source, g.stdout)
	if err != nil {
		return err
	}
	switch name {
	case "package":
		files, err := a.PackageChaincode(ctx)
		for _, f := range files {
			fmt.Fprintln(g.stdout, f)
		}
		return err
	case "deploy":
		for _, path := range fs.Args() {
			cc, err := a.ImportPackage(path)
			if err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "%s took %s as the package of %s\n", a.Org.Name, path, cc)
		}
		installed, approved, err := a.Deploy(ctx)
		fmt.Fprintf(g.stdout, "%s: %d installs, %d approvals\n", a.Org.Name, installed, approved)
		return err
	case "status":
		all, err := g.readiness(ctx, a, channel)
		if err != nil {
			return err
		}
		if asJSON {
			enc := json.NewEncoder(g.stdout)
			enc.SetIndent("", "  ")
			if err := enc.Encode(all); err != nil {
				return err
			}
		} else {
			for _, r := range all {
				fmt.Fprintln(g.stdout, r)
			}
		}
		for _, r := range all {
			if !r.Committed {
				return errNotReady
			}
		}
		return nil
	default:
		if channel == "" {
			return usagef("chaincode commit: -channel is required")
		}
		ch, err := a.Spec.Channel(channel)
		if err != nil {
			return err
		}
		for _, cc := range ch.Chaincodes {
			if ccName != "" && cc.Name != ccName {
				continue
			}
			committed, err := a.CommitChaincode(ctx, channel, cc.Name)
			if err != nil {
				return err
			}
			if committed {
				fmt.Fprintf(g.stdout, "%s committed %s on %s\n", a.Org.Name, cc.Name, channel)
			} else {
				fmt.Fprintf(g.stdout, "%s on %s: committed already\n", cc.Name, channel)
			}
		}
		return nil
	}
}

// readiness reports every chaincode definition of the agency's channels (or
// one channel's).
func (g *globals) readiness(ctx context.Context, a *network.Agency, channel string) ([]*network.Readiness, error) {
	var out []*network.Readiness
	for _, ch := range a.Channels() {
		if channel != "" && ch.Name != channel {
			continue
		}
		for _, cc := range ch.Chaincodes {
			r, err := a.Readiness(ctx, ch.Name, cc.Name)
			if err != nil {
				return out, err
			}
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s is not a member of a channel %q", a.Org.Name, channel)
	}
	return out, nil
}
