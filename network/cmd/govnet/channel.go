package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/govshare/govshare/network"
)

// channel runs the channel commands of one agency: genesis and join.
func (g *globals) channel(ctx context.Context, args []string) error {
	var dir string
	name, fs, err := subcommand("channel", args, g.stderr, func(name string, fs *flag.FlagSet) bool {
		if name != "genesis" && name != "join" {
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
