package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAuditAndRepairRefuseIncompleteCommandLines(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"snapshot files without an agency", []string{"audit", "-world-state", "p=f"}, "go with -dir"},
		{"a block without an agency", []string{"audit", "-block", "3"}, "go with -dir"},
		{"an unknown flag", []string{"audit", "-everything"}, "flag provided but not defined"},
		{"repair without a peer", []string{"repair", "-dir", "d", "-rebuild-dbs"}, "-dir, -peer and one of"},
		{"repair with both repairs", []string{"repair", "-dir", "d", "-peer", "peer0", "-rebuild-dbs", "-refetch", "c"}, "one of -rebuild-dbs or -refetch"},
		{"repair with neither", []string{"repair", "-dir", "d", "-peer", "peer0"}, "one of -rebuild-dbs or -refetch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"-state", t.TempDir()}, tt.args...), &stdout, &stderr)
			assert.Equal(t, exitUsage, code)
			assert.Contains(t, stderr.String(), tt.want)
			assert.Empty(t, stdout.String())
		})
	}
}

func TestAuditOfAFolderThatIsNoAgency(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"audit", "-dir", t.TempDir()}, &stdout, &stderr)
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, stderr.String(), "is not an agency folder")
}
