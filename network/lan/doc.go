// Package lan gives a test several hosts on one Linux machine: each host is
// a network namespace with its own address, and all of them, and the
// machine itself, are joined by a bridge in a namespace of its own (the
// switch). A program started on a host (Host.Command) binds to that host's
// address and reaches the others through the switch; cutting a host's
// cable (Host.Cut) isolates it until Host.Restore.
//
// It needs root and iproute2's ip. Every namespace, link and address it
// makes carries a name derived from the creating process's PID, so that
// runs at the same time never collide and Sweep can remove what a run that
// was killed left behind. Close removes everything New made.
package lan
