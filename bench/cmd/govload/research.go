package main

import (
	"context"

	"github.com/govshare/govshare/bench"
	"github.com/govshare/govshare/bench/research"
	"github.com/govshare/govshare/bench/workload"
)

// researchCommands are the tools of the measurement studies (package
// bench/research), apart from the load tool's run and caliper.
var researchCommands = []command{
	{"pairs", "run each main write right after a baseline round, -repeat times, and sum up the ratios", runPairs},
	{"twins", "commit one of each main write and of its baseline twin (PutShaped) and compare their footprints", runTwins},
	{"scale", "preload records and measure query latency against ledger size", runScale},
	{"tune", "measure the baseline under other orderer batch settings on temporary networks", runTune},
	{"peers", "attribute the peers' CPU per transaction to parts of Fabric, from a perf recording (bench/research/profile-peers)", runPeers},
}

// runResearch runs one command of the research group.
func runResearch(ctx context.Context, args []string) error {
	return dispatch(ctx, "govload research", researchCommands, args)
}

// runPairs runs the paired profile (research.RunPairs) and prints the
// summary of its pairs after the table of its rounds.
func runPairs(ctx context.Context, args []string) error {
	return runRounds(ctx, "pairs", args, 3, pairedRounds)
}

// pairedRounds runs the paired profile repeat times and sums up every pair.
func pairedRounds(ctx context.Context, env *workload.Env, cfg workload.Config, repeat int) ([]*bench.RoundResult, []bench.PairSummary, error) {
	rounds, err := research.RunPairs(ctx, env, cfg, repeat)
	return rounds, bench.SummarisePairs(rounds), err
}
