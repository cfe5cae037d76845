package audit

import (
	"fmt"
	"syscall"
	"testing"
	"time"
)

// BenchmarkCheckBlock measures the checks of one block as the audit makes
// them on a channel of three peers and three orderers: every copy's hash
// chain, data hash and orderer signature, and, once, the signatures of its
// transactions (a creator and two endorsers each). The time per operation
// is the time per block, without reading the blocks.
func BenchmarkCheckBlock(b *testing.B) {
	for _, txs := range []int{1, 10, 50} {
		b.Run(fmt.Sprintf("%d-transactions", txs), func(b *testing.B) {
			t := &testing.T{}
			n := newTestNet(t)
			endorser2 := issue(t, n.memberCA, "peer1", false)
			const blocks = 200
			for i := range blocks {
				var batch [][]byte
				for j := range txs {
					batch = append(batch, endorserTx(t, fmt.Sprintf("tx-%d-%d", i, j), n.client, n.peer, endorser2))
				}
				n.add(t, batch...)
			}
			sources := []string{"peer0", "peer1", "peer2", "orderer0", "orderer1", "orderer2"}
			b.ResetTimer()
			cpuBefore := cpuTime()
			checked := 0
			for checked < b.N {
				c := NewChecker(testChannel)
				for _, blk := range n.blocks {
					copies := make([]Copy, len(sources))
					for i, s := range sources {
						copies[i] = Copy{Source: s, Peer: s[:4] == "peer", Block: blk}
					}
					if _, ok := c.Check(copies); !ok {
						b.Fatal("the chain does not check")
					}
					if checked++; checked == b.N {
						break
					}
				}
			}
			// On a shared machine the CPU time is the steadier figure.
			b.ReportMetric((cpuTime()-cpuBefore).Seconds()/float64(b.N)*10000, "cpu-s/10k-blocks")
		})
	}
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
