package network

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"
)

// Changing a running channel, agency by agency:
//
//  1. The agencies agree on a new description (a member added or removed,
//     a policy changed, an orderer moved) and accept any new definitions.
//  2. One proposes the update ([Agency.ProposeUpdate]): the difference
//     between the channel's configuration, fetched from the orderers, and
//     the configuration the new description makes, written as a Fabric
//     config update file.
//  3. Each administrator signs it on its own host ([Agency.SignUpdate]),
//     after checking that it is exactly the update its own copy of the
//     description makes; a file that says anything else is refused.
//  4. One submits it ([Agency.SubmitUpdate]) once the signatures meet the
//     policies the change needs: the majority of the channel's member
//     administrators for its members, of the ordering organisations'
//     administrators for its ordering. Too few signatures are refused
//     before anything is sent, naming whose are missing.

// UpdateStatus is what a config update changes and how far its signatures
// go, against the channel's configuration now.
type UpdateStatus struct {
	Channel  string            `json:"channel"`
	Changes  []Change          `json:"changes"`
	Required []*RequiredPolicy `json:"required"`
	Signers  []Signer          `json:"signers"`
	// Invalid says why each signature that does not count was refused.
	Invalid []string `json:"invalid,omitempty"`
}

// Ready reports whether the signatures meet every policy the update needs.
func (s *UpdateStatus) Ready() bool {
	for _, r := range s.Required {
		if !r.Satisfied {
			return false
		}
	}
	return true
}

// Describe writes the status for the administrators who decide on it.
func (s *UpdateStatus) Describe(w io.Writer) {
	fmt.Fprintf(w, "config update of channel %s:\n", s.Channel)
	for _, c := range s.Changes {
		fmt.Fprintf(w, "  %-8s %s\n", c.What, c.Path)
	}
	for _, sg := range s.Signers {
		fmt.Fprintf(w, "  signed by %s %s (%s)\n", sg.MSPID, sg.Role, sg.Subject)
	}
	for _, bad := range s.Invalid {
		fmt.Fprintf(w, "  refused signature: %s\n", bad)
	}
	for _, r := range s.Required {
		state := "met"
		if !r.Satisfied {
			state = fmt.Sprintf("needs %d more, from %s", r.Needed, joinOrNone(r.Missing))
		}
		fmt.Fprintf(w, "  policy %s: %s; signed by %s; %s\n", r.Path, r.Rule, joinOrNone(r.SignedBy), state)
	}
}

// missing says, in one line, which policies lack which signatures.
func (s *UpdateStatus) missing() string {
	var parts []string
	for _, r := range s.Required {
		if !r.Satisfied {
			parts = append(parts, fmt.Sprintf("%s (%s) needs %d more signature(s) of %s; signed by %s",
				r.Path, r.Rule, r.Needed, joinOrNone(r.Missing), joinOrNone(r.SignedBy)))
		}
	}
	return strings.Join(parts, "; ")
}

// signingIdentities returns the agency's identities whose signatures an
// update needs: its administrator if its organisation's MSP is under a
// policy the update needs (the channel's members for a change of its
// members), its ordering administrator if its ordering MSP is (the
// ordering organisations for a change of the ordering).
func (a *Agency) signingIdentities(cfg *common.Config, update *common.ConfigUpdate) ([]*mspSigner, error) {
	idx, err := indexConfig(cfg)
	if err != nil {
		return nil, err
	}
	needed := func(mspID string) bool {
		for _, policy := range requiredPolicies(idx, update) {
			scope := policy[:strings.LastIndex(policy, "/")]
			for path, g := range idx.groups {
				under := path == scope || strings.HasPrefix(path, scope+"/")
				if _, ok := g.GetValues()["MSP"]; ok && under && strings.HasSuffix(path, "/"+mspID) {
					return true
				}
			}
		}
		return false
	}
	var out []*mspSigner
	for _, id := range []struct{ mspID, mspDir string }{
		{a.Org.MSPID, a.UserMSPDir(AdminRole)},
		{a.Org.OrderingMSPID(), a.UserMSPDir(orderingAdmin)},
	} {
		if id.mspID == "" || !needed(id.mspID) {
			continue
		}
		s, err := loadSigner(id.mspID, id.mspDir)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// reader returns the identity the agency reads a channel with: its
// administrator if it is a member, else its ordering administrator.
func (a *Agency) reader(channel string) (*mspSigner, error) {
	if ch, err := a.Spec.Channel(channel); err == nil && isMember(ch, a.Org) {
		return loadSigner(a.Org.MSPID, a.UserMSPDir(AdminRole))
	}
	if len(a.Orderers) > 0 {
		return loadSigner(a.Org.OrderingMSPID(), a.UserMSPDir(orderingAdmin))
	}
	return loadSigner(a.Org.MSPID, a.UserMSPDir(AdminRole))
}

// onOrderers runs f with a connection to each orderer the agency knows in
// turn, until one succeeds.
func (a *Agency) onOrderers(f func(conn grpcConn, e ordererEndpoint) error) error {
	endpoints := a.ordererEndpoints()
	if len(endpoints) == 0 {
		return fmt.Errorf("%s knows no orderer: accept the definitions of the organisations that run them", a.Org.Name)
	}
	var errs []error
	for _, e := range endpoints {
		conn, err := dialOrderer(e)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		err = f(conn, e)
		conn.Close()
		if err == nil {
			return nil
		}
		errs = append(errs, fmt.Errorf("%s: %w", e.Name, err))
	}
	return errors.Join(errs...)
}

// CurrentConfig fetches a channel's newest configuration block from the
// orderers and returns it with the configuration it carries.
func (a *Agency) CurrentConfig(ctx context.Context, channel string) (*common.Block, *common.Config, error) {
	signer, err := a.reader(channel)
	if err != nil {
		return nil, nil, err
	}
	var block *common.Block
	var cfg *common.Config
	err = a.onOrderers(func(conn grpcConn, _ ordererEndpoint) error {
		newest, err := deliverBlock(ctx, conn, channel, newestBlock, signer)
		if err != nil {
			return err
		}
		index, err := lastConfigIndex(newest)
		if err != nil {
			return err
		}
		if block, err = deliverBlock(ctx, conn, channel, index, signer); err != nil {
			return err
		}
		data, err := proto.Marshal(block)
		if err != nil {
			return fmt.Errorf("encode block: %w", err)
		}
		_, cfg, err = ConfigOfBlock(data)
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("fetch the configuration of %s: %w", channel, err)
	}
	return block, cfg, nil
}

// wantedConfig is the configuration the agency's description and accepted
// definitions make for a channel.
func (a *Agency) wantedConfig(ctx context.Context, channel string) (*common.Config, error) {
	work, err := os.MkdirTemp("", "govshare-config-")
	if err != nil {
		return nil, fmt.Errorf("make the wanted configuration: %w", err)
	}
	defer os.RemoveAll(work)
	blocks, err := a.MakeGenesisIn(ctx, work, channel)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(blocks[0])
	if err != nil {
		return nil, fmt.Errorf("make the wanted configuration: %w", err)
	}
	_, cfg, err := ConfigOfBlock(data)
	return cfg, err
}

// expectedUpdate is the update the agency's own description makes from the
// channel's configuration now.
func (a *Agency) expectedUpdate(ctx context.Context, channel string) (*common.Config, *common.Config, *common.ConfigUpdate, error) {
	if _, err := a.Spec.Channel(channel); err != nil {
		return nil, nil, nil, err
	}
	_, current, err := a.CurrentConfig(ctx, channel)
	if err != nil {
		return nil, nil, nil, err
	}
	wanted, err := a.wantedConfig(ctx, channel)
	if err != nil {
		return nil, nil, nil, err
	}
	update, err := computeUpdate(channel, current, wanted)
	if err != nil {
		return nil, nil, nil, err
	}
	return current, wanted, update, nil
}

// ProposeUpdate writes to file the config update that takes a channel
// from its configuration now to the one the agency's description makes,
// unsigned, and returns what it changes and whose signatures it needs. A
// channel already as described is ErrNoChange.
func (a *Agency) ProposeUpdate(ctx context.Context, channel, file string) (*UpdateStatus, error) {
	current, wanted, update, err := a.expectedUpdate(ctx, channel)
	if err != nil {
		return nil, err
	}
	raw, err := proto.Marshal(update)
	if err != nil {
		return nil, fmt.Errorf("encode config update: %w", err)
	}
	if err := writeUpdateFile(file, channel, &common.ConfigUpdateEnvelope{ConfigUpdate: raw}); err != nil {
		return nil, err
	}
	status, err := updateStatus(channel, current, update, raw, nil)
	if err != nil {
		return nil, err
	}
	status.Changes = describeChanges(current, wanted)
	return status, nil
}

// SignUpdate checks that a config update file holds exactly the update the
// agency's own description makes from the channel's configuration now, and
// adds the signatures of the agency's identities that belong to the
// channel (its administrator, and its ordering administrator if it orders
// the channel). An update that differs is refused and the file is left as
// it was.
func (a *Agency) SignUpdate(ctx context.Context, file string) (*UpdateStatus, error) {
	channel, env, err := readUpdateFile(file)
	if err != nil {
		return nil, err
	}
	current, wanted, expected, err := a.expectedUpdate(ctx, channel)
	if errors.Is(err, ErrNoChange) {
		return nil, fmt.Errorf("%s will not sign: %s is already as its description says, so this update changes something else", a.Org.Name, channel)
	}
	if err != nil {
		return nil, err
	}
	var proposed common.ConfigUpdate
	if err := proto.Unmarshal(env.GetConfigUpdate(), &proposed); err != nil {
		return nil, fmt.Errorf("decode the config update in %s: %w", file, err)
	}
	if !proto.Equal(&proposed, expected) {
		return nil, fmt.Errorf("%s will not sign: the update in %s is not the one its description and accepted definitions make for %s (compare descriptions and definitions with the proposer)",
			a.Org.Name, file, channel)
	}
	identities, err := a.signingIdentities(current, expected)
	if err != nil {
		return nil, err
	}
	if len(identities) == 0 {
		return nil, fmt.Errorf("%s has no identity whose signature this update of %s needs", a.Org.Name, channel)
	}
	for _, id := range identities {
		if carriesSignatureOf(env, id) {
			continue
		}
		sh, err := id.signatureHeader()
		if err != nil {
			return nil, err
		}
		shBytes, err := proto.Marshal(sh)
		if err != nil {
			return nil, fmt.Errorf("encode signature header: %w", err)
		}
		sig, err := id.sign(append(append([]byte{}, shBytes...), env.GetConfigUpdate()...))
		if err != nil {
			return nil, err
		}
		env.Signatures = append(env.Signatures, &common.ConfigSignature{SignatureHeader: shBytes, Signature: sig})
	}
	if err := writeUpdateFile(file, channel, env); err != nil {
		return nil, err
	}
	status, err := updateStatus(channel, current, expected, env.GetConfigUpdate(), env.GetSignatures())
	if err != nil {
		return nil, err
	}
	status.Changes = describeChanges(current, wanted)
	return status, nil
}

// carriesSignatureOf reports whether an update carries a signature of id's
// certificate.
func carriesSignatureOf(env *common.ConfigUpdateEnvelope, id *mspSigner) bool {
	for _, sig := range env.GetSignatures() {
		var sh common.SignatureHeader
		if proto.Unmarshal(sig.GetSignatureHeader(), &sh) == nil && string(sh.GetCreator()) == string(id.creator()) {
			return true
		}
	}
	return false
}

// InspectUpdate reports what a config update file changes and how far its
// signatures go against the channel's configuration now.
func (a *Agency) InspectUpdate(ctx context.Context, file string) (*UpdateStatus, error) {
	p, err := a.readPendingUpdate(ctx, file)
	if err != nil {
		return nil, err
	}
	return p.status, nil
}

// pendingUpdate is a config update file read against the channel's
// configuration in force.
type pendingUpdate struct {
	channel string
	env     *common.ConfigUpdateEnvelope
	current *common.Config
	status  *UpdateStatus
}

// readPendingUpdate reads a config update file, fetches the configuration
// of its channel and checks the update's signatures against it.
func (a *Agency) readPendingUpdate(ctx context.Context, file string) (*pendingUpdate, error) {
	channel, env, err := readUpdateFile(file)
	if err != nil {
		return nil, err
	}
	_, current, err := a.CurrentConfig(ctx, channel)
	if err != nil {
		return nil, err
	}
	var update common.ConfigUpdate
	if err := proto.Unmarshal(env.GetConfigUpdate(), &update); err != nil {
		return nil, fmt.Errorf("decode the config update in %s: %w", file, err)
	}
	status, err := updateStatus(channel, current, &update, env.GetConfigUpdate(), env.GetSignatures())
	if err != nil {
		return nil, err
	}
	return &pendingUpdate{channel: channel, env: env, current: current, status: status}, nil
}

func updateStatus(channel string, current *common.Config, update *common.ConfigUpdate, raw []byte, sigs []*common.ConfigSignature) (*UpdateStatus, error) {
	required, valid, bad, err := checkUpdateSignatures(current, update, raw, sigs)
	if err != nil {
		return nil, err
	}
	s := &UpdateStatus{Channel: channel, Required: required, Signers: valid}
	for _, e := range bad {
		s.Invalid = append(s.Invalid, e.Error())
	}
	return s, nil
}

// SubmitUpdate sends a signed config update to the orderers, signed by the
// agency as submitter, once its signatures meet every policy it needs, and
// waits until the channel's configuration has changed. Too few signatures,
// or signatures over another update, are refused with
// ErrNotEnoughSignatures before anything is sent, naming what is missing.
func (a *Agency) SubmitUpdate(ctx context.Context, file string) (*UpdateStatus, error) {
	p, err := a.readPendingUpdate(ctx, file)
	if err != nil {
		return nil, err
	}
	channel, env, current, status := p.channel, p.env, p.current, p.status
	if !status.Ready() {
		msg := status.missing()
		if len(status.Invalid) > 0 {
			msg += "; refused signatures: " + strings.Join(status.Invalid, "; ")
		}
		return status, fmt.Errorf("submit the update of %s: %w: %s", channel, ErrNotEnoughSignatures, msg)
	}
	submitter, err := a.reader(channel)
	if err != nil {
		return status, err
	}
	data, err := proto.Marshal(env)
	if err != nil {
		return status, fmt.Errorf("encode config update: %w", err)
	}
	signed, err := submitter.signedEnvelope(channel, common.HeaderType_CONFIG_UPDATE, data)
	if err != nil {
		return status, err
	}
	if err := a.onOrderers(func(conn grpcConn, _ ordererEndpoint) error { return broadcast(ctx, conn, signed) }); err != nil {
		return status, fmt.Errorf("submit the update of %s: %w", channel, err)
	}
	// The update is applied when a config block with the next sequence is
	// cut.
	err = retry(ctx, time.Minute, func() error {
		_, now, err := a.CurrentConfig(ctx, channel)
		if err != nil {
			return err
		}
		if now.GetSequence() <= current.GetSequence() {
			return fmt.Errorf("the configuration of %s is still at sequence %d", channel, now.GetSequence())
		}
		return nil
	})
	if err != nil {
		return status, fmt.Errorf("submitted the update of %s, but: %w", channel, err)
	}
	return status, nil
}

// An update file is a Fabric CONFIG_UPDATE envelope, unsigned as an
// envelope: what `peer channel signconfigtx` and `peer channel update` read
// too, so an administrator may also sign with Fabric's own tools.

func writeUpdateFile(path, channel string, env *common.ConfigUpdateEnvelope) error {
	data, err := proto.Marshal(env)
	if err != nil {
		return fmt.Errorf("encode config update: %w", err)
	}
	ch, err := proto.Marshal(&common.ChannelHeader{Type: int32(common.HeaderType_CONFIG_UPDATE), ChannelId: channel})
	if err != nil {
		return fmt.Errorf("encode channel header: %w", err)
	}
	payload, err := proto.Marshal(&common.Payload{Header: &common.Header{ChannelHeader: ch}, Data: data})
	if err != nil {
		return fmt.Errorf("encode payload: %w", err)
	}
	out, err := proto.Marshal(&common.Envelope{Payload: payload})
	if err != nil {
		return fmt.Errorf("encode envelope: %w", err)
	}
	return writeFile(path, out, 0o644)
}

func readUpdateFile(path string) (string, *common.ConfigUpdateEnvelope, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", nil, fmt.Errorf("read config update: %w", err)
	}
	var env common.Envelope
	if err := proto.Unmarshal(data, &env); err != nil {
		return "", nil, fmt.Errorf("config update %s: %w", path, err)
	}
	var payload common.Payload
	if err := proto.Unmarshal(env.GetPayload(), &payload); err != nil {
		return "", nil, fmt.Errorf("config update %s: %w", path, err)
	}
	var ch common.ChannelHeader
	if err := proto.Unmarshal(payload.GetHeader().GetChannelHeader(), &ch); err != nil {
		return "", nil, fmt.Errorf("config update %s: %w", path, err)
	}
	if common.HeaderType(ch.GetType()) != common.HeaderType_CONFIG_UPDATE {
		return "", nil, fmt.Errorf("%s is not a config update (header type %s)", path, common.HeaderType(ch.GetType()))
	}
	var cue common.ConfigUpdateEnvelope
	if err := proto.Unmarshal(payload.GetData(), &cue); err != nil {
		return "", nil, fmt.Errorf("config update %s: %w", path, err)
	}
	var update common.ConfigUpdate
	if err := proto.Unmarshal(cue.GetConfigUpdate(), &update); err != nil {
		return "", nil, fmt.Errorf("config update %s: %w", path, err)
	}
	if update.GetChannelId() != ch.GetChannelId() {
		return "", nil, fmt.Errorf("config update %s names channel %s in its header and %s in the update", path, ch.GetChannelId(), update.GetChannelId())
	}
	return ch.GetChannelId(), &cue, nil
}
