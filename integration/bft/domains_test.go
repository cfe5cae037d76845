//go:build integration

package bft

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The three domains' main flows on the network, as departments run them:
// govctl's scenario records and recognises credits and registers a
// diploma, appropriates, allocates, disburses and reverses a payment with
// the approvals it needs, opens a case and submits, notarises and opens
// sealed evidence, and checks that Oversight's writes are refused, while
// Oversight's feed follows every change. Every step is a transaction
// through an organisation's gateway (package govclient), ordered by the
// network's consensus.
func TestDomainFlows(t *testing.T) {
	govctl := filepath.Join(t.TempDir(), "govctl")
	out, err := exec.Command("go", "build", "-o", govctl, "../../gateway-client/cmd/govctl").CombinedOutput()
	require.NoError(t, err, "build govctl: %s", out)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, govctl, "--network", testNetwork.StateDir(), "demo")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "govctl demo: %s\n%s", stdout.String(), stderr.String())

	text := stdout.String()
	assert.Contains(t, text, "Done: ")
	assert.Contains(t, text, "2 writes refused as they should be")
	for _, event := range []string{"CreditRecorded", "CreditRecognised", "DiplomaRegistered", "DisbursementRecorded",
		"ReversalExecuted", "EvidenceSubmitted", "EvidenceNotarised", "SealedContentOpened"} {
		assert.Contains(t, text, event, "Oversight's feed saw %s", event)
	}

	// Every member peer of every channel, and every orderer, reaches the
	// same height: the blocks the consenters agreed reach everyone.
	waitSameHeights(t, time.Minute)
}
