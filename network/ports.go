package network

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// ClaimPortRange finds count consecutive free ports on 127.0.0.1, searching
// from start upwards in steps of count rounded up to a hundred, and claims
// them with a lock file in
// the temporary folder, so that networks brought up at the same time on one
// machine (test runs, tuning rounds) never pick the same range. release
// removes the claim; a claim whose process is gone is taken over.
func ClaimPortRange(start, count int) (base int, release func(), err error) {
	step := (count + 99) / 100 * 100 // ranges of one size never overlap
	for base := start; base < start+50*step; base += step {
		lock := filepath.Join(os.TempDir(), fmt.Sprintf("govshare-ports-%d.lock", base))
		if data, err := os.ReadFile(lock); err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(data))); err == nil && pid > 0 && syscall.Kill(pid, 0) == nil {
				continue // another run holds this range
			}
			_ = os.Remove(lock) // left by a run that is gone
		}
		f, err := os.OpenFile(lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err != nil {
			continue
		}
		fmt.Fprintf(f, "%d\n", os.Getpid())
		f.Close()
		if !portsFree(base, count) {
			_ = os.Remove(lock)
			continue
		}
		return base, func() { _ = os.Remove(lock) }, nil
	}
	return 0, nil, fmt.Errorf("no %d free consecutive ports from %d", count, start)
}

func portsFree(base, count int) bool {
	for p := base; p < base+count; p++ {
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err != nil {
			return false
		}
		l.Close()
	}
	return true
}
