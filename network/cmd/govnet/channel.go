package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"

	"github.com/govshare/govshare/network"
)

// channel runs the channel commands of one agency: genesis and join; the
// config update steps propose, sign, inspect and submit; snapshot-join.
func (g *globals) channel(ctx context.Context, args []string) error {
	var dir, channel, out, peer, from string
	var asJSON bool
	name, fs, err := subcommand("channel", args, g.stderr, func(name string, fs *flag.FlagSet) bool {
		switch name {
		case "genesis", "join":
		case "propose":
			fs.StringVar(&channel, "channel", "", "the channel to change (required)")
			fs.StringVar(&out, "out", "", "the update file to write (required)")
			fs.BoolVar(&asJSON, "json", false, "print JSON")
		case "sign", "inspect", "submit":
			fs.BoolVar(&asJSON, "json", false, "print JSON")
		case "snapshot-join":
			fs.StringVar(&channel, "channel", "", "the channel (required)")
			fs.StringVar(&peer, "peer", "", "the peer that joins (required)")
			fs.StringVar(&from, "from", "", "the agency's peer whose snapshot it starts from (required)")
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
		return usagef("channel %s: -dir is required", name)
	}
	a, err := network.OpenAgency(g.spec, dir, g.fabric, g.source, g.stdout)
	if err != nil {
		return err
	}
	switch name {
	case "propose", "sign", "inspect", "submit":
		return g.update(ctx, a, name, fs.Args(), channel, out, asJSON)
	case "snapshot-join":
		if channel == "" || peer == "" || from == "" {
			return usagef("channel snapshot-join: -channel, -peer and -from are required")
		}
		p, err := a.PeerNamed(peer)
		if err != nil {
			return err
		}
		f, err := a.PeerNamed(from)
		if err != nil {
			return err
		}
		height, err := a.JoinFromSnapshot(ctx, p, channel, f)
		if err != nil {
			return err
		}
		fmt.Fprintf(g.stdout, "%s joined %s from %s's snapshot at block %d\n", p.ID(), channel, f.ID(), height)
		return nil
	case "genesis":
		if fs.NArg() > 0 {
			return usagef("channel genesis takes no arguments")
		}
		blocks, err := a.MakeGenesis(ctx)
		if err != nil {
			return err
		}
		for _, b := range blocks {
			fmt.Fprintln(g.stdout, b)
		}
		return nil
	default:
		for _, path := range fs.Args() {
			channel, err := a.ImportGenesis(ctx, path)
			if err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "%s checked the genesis block of %s against the description and the definitions it accepted\n", a.Org.Name, channel)
		}
		orderers, peers, err := a.JoinChannels(ctx)
		fmt.Fprintf(g.stdout, "%s: %d orderer joins, %d peer joins\n", a.Org.Name, orderers, peers)
		return err
	}
}

// update runs one step of a channel configuration update.
func (g *globals) update(ctx context.Context, a *network.Agency, step string, args []string, channel, out string, asJSON bool) error {
	var status *network.UpdateStatus
	var err error
	switch step {
	case "propose":
		if channel == "" || out == "" || len(args) > 0 {
			return usagef("channel propose: -channel and -out are required, and nothing else")
		}
		status, err = a.ProposeUpdate(ctx, channel, out)
	default:
		if len(args) != 1 {
			return usagef("channel %s: name one update file", step)
		}
		switch step {
		case "sign":
			status, err = a.SignUpdate(ctx, args[0])
		case "inspect":
			status, err = a.InspectUpdate(ctx, args[0])
		default:
			status, err = a.SubmitUpdate(ctx, args[0])
		}
	}
	if status != nil {
		if asJSON {
			enc := json.NewEncoder(g.stdout)
			enc.SetIndent("", "  ")
			if encErr := enc.Encode(status); encErr != nil {
				return encErr
			}
		} else {
			status.Describe(g.stdout)
		}
	}
	if err != nil {
		return err
	}
	switch step {
	case "propose":
		fmt.Fprintf(g.stdout, "wrote %s: send it to the administrators who sign (govnet channel sign)\n", out)
	case "submit":
		fmt.Fprintf(g.stdout, "the configuration of %s has changed\n", status.Channel)
	case "inspect":
		if !status.Ready() {
			return errNotReady
		}
	}
	return nil
}
