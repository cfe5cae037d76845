package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/govshare/govshare/network"
)

// network runs the single-machine commands: up, down, clean and status.
func (g *globals) network(ctx context.Context, cmd, state string, portBase int, asJSON bool) error {
	n, err := network.New(g.spec, network.Options{
		StateDir: state, FabricDir: g.fabric, SourceDir: g.source, PortBase: portBase, Progress: g.stdout,
	})
	if err != nil {
		return err
	}
	switch cmd {
	case "up":
		fmt.Fprintf(g.stdout, "govnet: bringing the govshare network up in %s, agency by agency\n", n.StateDir())
		return n.Up(ctx)
	case "down":
		return n.Down(ctx)
	case "clean":
		return n.Clean(ctx)
	default:
		s, err := n.Status(ctx)
		if err != nil {
			return err
		}
		return g.printStatus(s, asJSON)
	}
}

// printStatus prints a status and makes the command exit with exitNotReady
// when a node is down, so that scripts can tell.
func (g *globals) printStatus(s *network.Status, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(g.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(s); err != nil {
			return err
		}
	} else {
		s.WriteText(g.stdout)
	}
	if !s.Running() {
		return errNotReady
	}
	return nil
}
