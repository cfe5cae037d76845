package main

import (
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// Flags and arguments every command group reads the same way.

// requireFlags refuses, as a usage error, a command line without the named
// flags.
func requireFlags(cmd *cobra.Command, names ...string) error {
	var missing []string
	for _, name := range names {
		if !cmd.Flags().Changed(name) {
			missing = append(missing, "--"+name)
		}
	}
	if len(missing) > 0 {
		return usagef("%s needs %s (see %s --help)", cmd.Name(), strings.Join(missing, ", "), cmd.CommandPath())
	}
	return nil
}

// mspID accepts an organisation as "EduMinistry" or "EduMinistryMSP".
func mspID(org string) string {
	if org == "" || strings.HasSuffix(org, "MSP") {
		return org
	}
	return org + "MSP"
}

// timeFlag checks an RFC 3339 time given to --name and returns it in UTC.
func timeFlag(name, value string) (string, error) {
	t, err := time.Parse(time.RFC3339, value)
	if err != nil {
		return "", usagef("--%s %q: write an RFC 3339 time such as 2026-03-01T14:05:00Z", name, value)
	}
	return t.UTC().Format(time.RFC3339), nil
}
