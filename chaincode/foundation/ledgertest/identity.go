package ledgertest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/attrmgr"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"

	"github.com/govshare/govshare/chaincode/consortium"
)

// identities issues X.509 certificates the way a Fabric CA does for
// govshare: one CA per organisation, and per user an ECDSA certificate
// carrying the govshare.role attribute in Fabric's attribute extension. The
// certificates are serialized as msp.SerializedIdentity, the creator bytes
// a peer hands to chaincode, so the client identity library parses them for
// real.
type identities struct {
	mu      sync.Mutex
	serial  int64
	cas     map[string]*authority
	creator map[string][]byte // "msp/role" -> serialized identity
}

type authority struct {
	key  *ecdsa.PrivateKey
	cert *x509.Certificate
}

func newIdentities() *identities {
	return &identities{cas: map[string]*authority{}, creator: map[string][]byte{}}
}

// validity returns the validity period of every generated certificate;
// chaincode does not check it.
func validity() (notBefore, notAfter time.Time) {
	return time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)
}

func (ids *identities) nextSerial() *big.Int {
	ids.serial++
	return big.NewInt(ids.serial)
}

func (ids *identities) authority(mspID string) (*authority, error) {
	if ca, ok := ids.cas[mspID]; ok {
		return ca, nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("CA key for %s: %w", mspID, err)
	}
	notBefore, notAfter := validity()
	template := &x509.Certificate{
		SerialNumber:          ids.nextSerial(),
		Subject:               pkix.Name{CommonName: "ca." + mspID, Organization: []string{mspID}},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("CA certificate for %s: %w", mspID, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parse CA certificate for %s: %w", mspID, err)
	}
	ca := &authority{key: key, cert: cert}
	ids.cas[mspID] = ca
	return ca, nil
}

// serialized returns the creator bytes of a user of mspID whose
// govshare.role attribute is role; role "" issues a certificate without
// attributes.
func (ids *identities) serialized(mspID, role string) ([]byte, error) {
	ids.mu.Lock()
	defer ids.mu.Unlock()
	cacheKey := mspID + "/" + role
	if creator, ok := ids.creator[cacheKey]; ok {
		return creator, nil
	}
	ca, err := ids.authority(mspID)
	if err != nil {
		return nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("user key: %w", err)
	}
	notBefore, notAfter := validity()
	name := role
	if name == "" {
		name = "user"
	}
	template := &x509.Certificate{
		SerialNumber: ids.nextSerial(),
		Subject:      pkix.Name{CommonName: name, OrganizationalUnit: []string{"client"}, Organization: []string{mspID}},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	if role != "" {
		value, err := json.Marshal(attrmgr.Attributes{Attrs: map[string]string{consortium.RoleAttribute: role}})
		if err != nil {
			return nil, fmt.Errorf("attribute extension: %w", err)
		}
		template.ExtraExtensions = append(template.ExtraExtensions, pkix.Extension{Id: attrmgr.AttrOID, Value: value})
	}
	der, err := x509.CreateCertificate(rand.Reader, template, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		return nil, fmt.Errorf("user certificate: %w", err)
	}
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	creator, err := proto.Marshal(&msp.SerializedIdentity{Mspid: mspID, IdBytes: pemBytes})
	if err != nil {
		return nil, fmt.Errorf("serialize identity: %w", err)
	}
	ids.creator[cacheKey] = creator
	return creator, nil
}
