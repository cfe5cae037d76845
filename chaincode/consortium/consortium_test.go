package consortium_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/consortium"
)

// conventionsTable returns the data rows of the markdown table in
// docs/conventions.md whose header starts with firstHeader, as trimmed cells.
func conventionsTable(t *testing.T, firstHeader string) [][]string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "docs", "conventions.md"))
	require.NoError(t, err)

	var rows [][]string
	inTable := false
	for _, line := range strings.Split(string(raw), "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "|") {
			inTable = false
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		switch {
		case cells[0] == firstHeader:
			inTable = true
		case inTable && strings.HasPrefix(cells[0], "---"):
		case inTable:
			rows = append(rows, cells)
		}
	}
	require.NotEmpty(t, rows, "table %q not found in docs/conventions.md", firstHeader)
	return rows
}

func splitList(cell string) []string {
	var out []string
	for _, part := range strings.Split(cell, ",") {
		part = strings.TrimSpace(part)
		if i := strings.Index(part, " "); i > 0 { // "admin (orderers only)"
			part = part[:i]
		}
		if part != "" {
			out = append(out, part)
		}
	}
	return out
}

func TestOrganizationsMatchConventions(t *testing.T) {
	rows := conventionsTable(t, "MSP ID")
	var documented []consortium.Organization
	for _, row := range rows {
		require.Len(t, row, 2)
		documented = append(documented, consortium.Organization{MSPID: row[0], Roles: splitList(row[1])})
	}
	assert.Equal(t, documented, consortium.Organizations())
}

func TestChannelsMatchConventions(t *testing.T) {
	rows := conventionsTable(t, "channel")
	require.Len(t, rows, 3)
	for _, row := range rows {
		channel := row[0]
		var members []string
		for _, name := range splitList(row[1]) {
			members = append(members, name+"MSP")
		}
		assert.Equal(t, members, consortium.ChannelMembers(channel), "members of %s", channel)
	}
	assert.Nil(t, consortium.ChannelMembers("no-such-channel"))
}

func TestCollectionNamesMatchConventions(t *testing.T) {
	rows := conventionsTable(t, "channel")
	var documented []string
	for _, row := range rows {
		for _, part := range strings.Split(row[3], "`") {
			if strings.HasPrefix(part, "StudentPII_") || part == consortium.SealedEvidenceCollection {
				documented = append(documented, part)
			}
		}
	}
	assert.Equal(t, []string{
		consortium.StudentCollection(consortium.UniversityAMSP),
		consortium.StudentCollection(consortium.UniversityBMSP),
		consortium.SealedEvidenceCollection,
	}, documented)
}

func TestOversightWritesNowhere(t *testing.T) {
	for _, row := range conventionsTable(t, "channel") {
		channel := row[0]
		writers := consortium.ChannelWriters(channel)
		assert.NotContains(t, writers, consortium.OversightMSP, channel)
		assert.Contains(t, consortium.ChannelMembers(channel), consortium.OversightMSP, "Oversight reads %s", channel)
		assert.Len(t, writers, len(consortium.ChannelMembers(channel))-1, "every other member of %s writes", channel)
		for _, w := range writers {
			assert.Contains(t, consortium.ChannelMembers(channel), w)
		}
	}
	assert.Nil(t, consortium.ChannelWriters("no-such-channel"))
}
