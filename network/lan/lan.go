package lan

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
)

// LAN is a set of hosts joined by a switch, reachable from the machine.
type LAN struct {
	// Hosts are the LAN's hosts, in the order they were asked for.
	Hosts []*Host
	// MachineAddress is the machine's own address on the LAN.
	MachineAddress string

	tag    string // unique per run: "gs" + PID in base 36
	subnet string // "10.88.N"
	steps  []cleanup
}

// Host is one host of a LAN: a network namespace with one address.
type Host struct {
	// Name is the host's name, as asked for.
	Name string
	// Namespace is the network namespace the host's programs run in.
	Namespace string
	// Address is the host's IPv4 address.
	Address string

	lan     *LAN
	cableID string // the switch's end of the host's cable
}

type cleanup struct {
	what string
	args []string
}

// Available reports why LANs cannot be made on this machine, or nil if they
// can: it takes root and the ip command.
func Available() error {
	if os.Geteuid() != 0 {
		return errors.New("making network namespaces takes root")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		return errors.New("the ip command (iproute2) is missing")
	}
	return nil
}

// New makes a LAN with one host per name, addressed 10.88.N.1, 10.88.N.2,
// ... in name order, and the machine at 10.88.N.254, where N is chosen from
// the process's PID. On any error it removes what it made.
func New(ctx context.Context, names ...string) (*LAN, error) {
	if err := Available(); err != nil {
		return nil, err
	}
	if len(names) == 0 || len(names) > 200 {
		return nil, fmt.Errorf("a LAN has 1 to 200 hosts, not %d", len(names))
	}
	pid := os.Getpid()
	l := &LAN{tag: "gs" + strconv.FormatInt(int64(pid), 36), subnet: fmt.Sprintf("10.88.%d", 1+pid%250)}
	l.MachineAddress = l.subnet + ".254"
	if err := l.build(ctx, names); err != nil {
		return nil, errors.Join(err, l.Close(context.WithoutCancel(ctx)))
	}
	return l, nil
}

func (l *LAN) switchNamespace() string { return l.tag + "-switch" }

func (l *LAN) build(ctx context.Context, names []string) error {
	sw := l.switchNamespace()
	bridge := l.tag + "br"
	if err := l.ip(ctx, "netns", "add", sw); err != nil {
		return err
	}
	l.steps = append(l.steps, cleanup{"namespace " + sw, []string{"netns", "delete", sw}})
	for _, args := range [][]string{
		{"-n", sw, "link", "add", bridge, "type", "bridge"},
		{"-n", sw, "link", "set", bridge, "up"},
		{"-n", sw, "link", "set", "lo", "up"},
	} {
		if err := l.ip(ctx, args...); err != nil {
			return err
		}
	}
	// The machine's own cable: one end stays in the machine's namespace.
	machine, machineSwitch := l.tag+"m", l.tag+"mb"
	if err := l.ip(ctx, "link", "add", machine, "type", "veth", "peer", "name", machineSwitch, "netns", sw); err != nil {
		return err
	}
	l.steps = append(l.steps, cleanup{"link " + machine, []string{"link", "delete", machine}})
	for _, args := range [][]string{
		{"-n", sw, "link", "set", machineSwitch, "master", bridge},
		{"-n", sw, "link", "set", machineSwitch, "up"},
		{"addr", "add", l.MachineAddress + "/24", "dev", machine},
		{"link", "set", machine, "up"},
	} {
		if err := l.ip(ctx, args...); err != nil {
			return err
		}
	}
	for i, name := range names {
		h := &Host{Name: name, Namespace: fmt.Sprintf("%s-%d", l.tag, i+1), Address: fmt.Sprintf("%s.%d", l.subnet, i+1), lan: l,
			cableID: fmt.Sprintf("%sb%d", l.tag, i+1)}
		inside := fmt.Sprintf("%sh%d", l.tag, i+1)
		if err := l.ip(ctx, "netns", "add", h.Namespace); err != nil {
			return err
		}
		l.steps = append(l.steps, cleanup{"namespace " + h.Namespace, []string{"netns", "delete", h.Namespace}})
		for _, args := range [][]string{
			{"-n", h.Namespace, "link", "add", inside, "type", "veth", "peer", "name", h.cableID, "netns", sw},
			{"-n", sw, "link", "set", h.cableID, "master", bridge},
			{"-n", sw, "link", "set", h.cableID, "up"},
			{"-n", h.Namespace, "addr", "add", h.Address + "/24", "dev", inside},
			{"-n", h.Namespace, "link", "set", inside, "up"},
			{"-n", h.Namespace, "link", "set", "lo", "up"},
		} {
			if err := l.ip(ctx, args...); err != nil {
				return err
			}
		}
		l.Hosts = append(l.Hosts, h)
	}
	return nil
}

// Host returns the host of a name.
func (l *LAN) Host(name string) (*Host, error) {
	for _, h := range l.Hosts {
		if h.Name == name {
			return h, nil
		}
	}
	return nil, fmt.Errorf("no host %q on the LAN", name)
}

// Close removes every namespace and link New made; the hosts' programs
// must have ended (a namespace with a program in it disappears only when
// the program ends). It reports what it could not remove.
func (l *LAN) Close(ctx context.Context) error {
	var errs []error
	for i := len(l.steps) - 1; i >= 0; i-- {
		if err := l.ip(ctx, l.steps[i].args...); err != nil && !strings.Contains(err.Error(), "No such file") && !strings.Contains(err.Error(), "Cannot find device") {
			errs = append(errs, fmt.Errorf("remove %s: %w", l.steps[i].what, err))
		}
	}
	l.steps = nil
	return errors.Join(errs...)
}

// Command returns a command that runs name with args on the host: in its
// network namespace, so that it binds to the host's address and sees the
// LAN only through the host's cable.
func (h *Host) Command(ctx context.Context, name string, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", h.Namespace, name}, args...)...)
}

// Cut unplugs the host's cable at the switch: nothing reaches the host and
// nothing leaves it until Restore.
func (h *Host) Cut(ctx context.Context) error {
	return h.lan.ip(ctx, "-n", h.lan.switchNamespace(), "link", "set", h.cableID, "down")
}

// Restore plugs the host's cable back in.
func (h *Host) Restore(ctx context.Context) error {
	return h.lan.ip(ctx, "-n", h.lan.switchNamespace(), "link", "set", h.cableID, "up")
}

func (l *LAN) ip(ctx context.Context, args ...string) error {
	out, err := exec.CommandContext(ctx, "ip", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("ip %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

// Sweep removes the namespaces and machine-side links that LANs of
// processes no longer running left behind (a test run that was killed),
// and reports what it removed. Those of live processes are left alone.
func Sweep(ctx context.Context) ([]string, error) {
	if err := Available(); err != nil {
		return nil, err
	}
	out, err := exec.CommandContext(ctx, "ip", "netns", "list").Output()
	if err != nil {
		return nil, fmt.Errorf("list namespaces: %w", err)
	}
	var removed []string
	var errs []error
	for _, line := range strings.Split(string(out), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		ns := fields[0]
		tag, _, ok := strings.Cut(ns, "-")
		if !ok || !strings.HasPrefix(tag, "gs") {
			continue
		}
		pid, err := strconv.ParseInt(strings.TrimPrefix(tag, "gs"), 36, 64)
		if err != nil || processAlive(int(pid)) {
			continue
		}
		if out, err := exec.CommandContext(ctx, "ip", "netns", "delete", ns).CombinedOutput(); err != nil {
			errs = append(errs, fmt.Errorf("remove namespace %s: %w: %s", ns, err, out))
			continue
		}
		removed = append(removed, ns)
		_ = exec.CommandContext(ctx, "ip", "link", "delete", tag+"m").Run() // gone with its peer, usually
	}
	return removed, errors.Join(errs...)
}

func processAlive(pid int) bool {
	return pid > 0 && syscall.Kill(pid, 0) == nil
}
