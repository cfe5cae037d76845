package govclient_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestREADMEGoSnippetIsAnExample keeps the README's Go snippet compiling:
// it must be, line for line, the body of recordCredit in example_test.go.
func TestREADMEGoSnippetIsAnExample(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	_, rest, found := strings.Cut(string(readme), "```go\n")
	require.True(t, found, "the README has a Go snippet")
	snippet, _, found := strings.Cut(rest, "```")
	require.True(t, found, "the README's Go snippet ends")

	example, err := os.ReadFile("example_test.go")
	require.NoError(t, err)
	_, body, found := strings.Cut(string(example), "func recordCredit(")
	require.True(t, found)
	_, body, _ = strings.Cut(body, "{\n")
	body, _, _ = strings.Cut(body, "\n}\n")

	require.Equal(t, dedent(body), strings.TrimSpace(snippet), "README.md's Go snippet and recordCredit in example_test.go differ")
}

// dedent removes one tab from the start of every line.
func dedent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, "\t")
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}
