package bench

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// The components whose CPU time a round accounts for.
const (
	CPUPeer      = "peer"
	CPUOrderer   = "orderer"
	CPUChaincode = "chaincode"
	CPUCA        = "ca"
	CPUClient    = "client" // the load generator itself
)

// CPUComponents lists the components in the order reports show them.
var CPUComponents = []string{CPUPeer, CPUOrderer, CPUChaincode, CPUCA, CPUClient}

// clockTicks is the kernel's USER_HZ, the unit of the CPU times in
// /proc/<pid>/stat; it is 100 on every Linux architecture Fabric runs on.
const clockTicks = 100

// CPUSample is the CPU time (user and system) each component had used when
// it was taken.
type CPUSample map[string]time.Duration

// SampleCPU reads the CPU time used so far by the processes of the network
// whose state folder is stateDir — its peers, orderers and CAs (their
// working folder is under it) and the chaincode processes the peers
// launched (their program is under it) — and by this process. Processes
// that end between two samples take their time with them, so a sample
// says nothing about processes started and ended within a round; the
// network's processes run for its whole life.
func SampleCPU(stateDir string) (CPUSample, error) {
	root, err := filepath.Abs(stateDir)
	if err != nil {
		return nil, fmt.Errorf("sample CPU: %w", err)
	}
	if resolved, err := filepath.EvalSymlinks(root); err == nil {
		root = resolved
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, fmt.Errorf("sample CPU: %w", err)
	}
	sample := CPUSample{}
	self := os.Getpid()
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		component := ""
		if pid == self {
			component = CPUClient
		} else {
			component = networkComponent(pid, root)
		}
		if component == "" {
			continue
		}
		used, err := processCPU(pid)
		if err != nil {
			continue // the process ended while we looked
		}
		sample[component] += used
	}
	return sample, nil
}

// networkComponent names the component process pid is of, or "" when it
// is not one of the network's under root.
func networkComponent(pid int, root string) string {
	exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
	if err != nil {
		return "" // not ours to read, or gone
	}
	cwd, _ := os.Readlink(fmt.Sprintf("/proc/%d/cwd", pid))
	under := func(p string) bool { return p == root || strings.HasPrefix(p, root+string(filepath.Separator)) }
	if !under(exe) && !under(cwd) {
		return ""
	}
	switch filepath.Base(exe) {
	case "peer":
		return CPUPeer
	case "orderer":
		return CPUOrderer
	case "fabric-ca-server":
		return CPUCA
	}
	if under(exe) {
		return CPUChaincode
	}
	return ""
}

// processCPU is the user and system CPU time process pid has used.
func processCPU(pid int) (time.Duration, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return parseStatCPU(raw)
}

// parseStatCPU reads utime and stime (fields 14 and 15) from the contents
// of /proc/<pid>/stat. The command name (field 2) is in parentheses and may
// hold spaces, so fields are counted from the last ')'.
func parseStatCPU(stat []byte) (time.Duration, error) {
	end := bytes.LastIndexByte(stat, ')')
	if end < 0 {
		return 0, fmt.Errorf("malformed stat line: no command name")
	}
	fields := strings.Fields(string(stat[end+1:]))
	// fields[0] is field 3 (state); utime is field 14, stime field 15
	const utime, stime = 14 - 3, 15 - 3
	if len(fields) <= stime {
		return 0, fmt.Errorf("malformed stat line: %d fields after the command name", len(fields))
	}
	var ticks int64
	for _, i := range []int{utime, stime} {
		n, err := strconv.ParseInt(fields[i], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("malformed stat line: field %d: %w", i+3, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

// PerTransaction is the CPU time each component used between before and
// after, in milliseconds per successful operation (nil when there were
// none).
func PerTransaction(before, after CPUSample, succeeded int) map[string]float64 {
	if succeeded <= 0 {
		return nil
	}
	per := map[string]float64{}
	for _, c := range CPUComponents {
		used := after[c] - before[c]
		if used < 0 {
			used = 0 // a process restarted between the samples
		}
		per[c] = float64(used) / float64(time.Millisecond) / float64(succeeded)
	}
	return per
}

// Busy is the share of the machine's cores that the sampled processes kept
// busy between before and after, taken wall apart.
func Busy(before, after CPUSample, wall time.Duration) float64 {
	if wall <= 0 {
		return 0
	}
	var used time.Duration
	for _, c := range CPUComponents {
		if d := after[c] - before[c]; d > 0 {
			used += d
		}
	}
	return float64(used) / float64(wall) / float64(runtime.NumCPU())
}
