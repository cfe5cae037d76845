// Package procs finds the processes a test network started, so that a test
// can check that none is left when the network is down.
package procs

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Started reads every node pidfile (nodes/*/node.pid) under the given
// folders, at any depth of agency folders.
func Started(dirs ...string) []int {
	var pids []int
	for _, dir := range dirs {
		_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || d.Name() != "node.pid" {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return nil
			}
			if pid, err := strconv.Atoi(strings.TrimSpace(string(data))); err == nil {
				pids = append(pids, pid)
			}
			return nil
		})
	}
	return pids
}

// exitGrace is how long Leftovers lets processes finish exiting: a
// chaincode process ends after its peer, and a process that is tearing
// down still shows in /proc for a moment.
const exitGrace = 10 * time.Second

// Leftovers lists live processes that the network in state started: the
// recorded node PIDs, and any process whose program or configuration lies
// in the state folder (chaincode processes that peers launched). Processes
// still exiting get a few seconds to finish before they count.
func Leftovers(state string, pids []int) []string {
	remaining := leftoverPIDs(state, pids)
	for deadline := time.Now().Add(exitGrace); len(remaining) > 0 && time.Now().Before(deadline); {
		time.Sleep(200 * time.Millisecond)
		remaining = leftoverPIDs(state, pids)
	}
	var left []string
	for _, pid := range remaining {
		exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
		left = append(left, fmt.Sprintf("PID %d (%s)", pid, exe))
	}
	return left
}

func leftoverPIDs(state string, pids []int) []int {
	var left []int
	for _, pid := range pids {
		if Alive(pid) {
			left = append(left, pid)
		}
	}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || !Alive(pid) || slices.Contains(left, pid) {
			continue
		}
		exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
		environ, _ := os.ReadFile(fmt.Sprintf("/proc/%d/environ", pid))
		if strings.HasPrefix(exe, state) || strings.Contains(string(environ), "FABRIC_CFG_PATH="+state) {
			left = append(left, pid)
		}
	}
	return left
}

// KillLeftovers ends, with SIGKILL, the processes Leftovers finds: a test
// that failed to stop its network cleanly still leaves nothing running.
// It reports how many it signalled.
func KillLeftovers(state string, pids []int) int {
	killed := 0
	for _, pid := range leftoverPIDs(state, pids) {
		if syscall.Kill(pid, syscall.SIGKILL) == nil {
			killed++
		}
	}
	return killed
}

// Alive reports whether pid runs and is not a zombie.
func Alive(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	i := strings.LastIndexByte(string(stat), ')')
	fields := strings.Fields(string(stat[i+1:]))
	return len(fields) > 0 && fields[0] != "Z"
}
