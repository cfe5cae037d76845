package ledgertest

import (
	"crypto/sha256"
	"fmt"
	"slices"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
)

// Private data: the stub's collections, with the membership rules a peer
// applies to reads and the write set it records.

func (s *stub) collectionFor(name string, access string) (*collection, error) {
	if err := s.errIfDone(); err != nil {
		return nil, err
	}
	c, ok := s.l.collection[name]
	if !ok {
		return nil, fmt.Errorf("collection %s is not defined for chaincode %s on channel %s", name, s.l.chaincode, s.l.channel)
	}
	if access != "" && !slices.Contains(c.members, s.mspID) {
		return nil, fmt.Errorf("tx creator does not have %s access permission on privatedata in chaincodeName:%s collectionName: %s", access, s.l.chaincode, name)
	}
	return c, nil
}

func (s *stub) GetPrivateData(collection, key string) ([]byte, error) {
	c, err := s.collectionFor(collection, "read")
	if err != nil {
		return nil, err
	}
	s.l.mu.Lock()
	defer s.l.mu.Unlock()
	s.recordPrivateRead(collection, c, key)
	return slices.Clone(c.data.values[key]), nil
}

// recordPrivateRead adds the committed version of a private key to the
// read set: a peer records the hash of the key with its version, for
// GetPrivateData and GetPrivateDataHash alike.
func (s *stub) recordPrivateRead(name string, c *collection, key string) {
	if s.privateReads == nil {
		s.privateReads = map[string]map[string]uint64{}
	}
	reads := s.privateReads[name]
	recordRead(&reads, c.data, key)
	s.privateReads[name] = reads
}

func (s *stub) GetMultiplePrivateData(collection string, keys ...string) ([][]byte, error) {
	return readEach(keys, func(key string) ([]byte, error) { return s.GetPrivateData(collection, key) })
}

func (s *stub) GetPrivateDataHash(collection, key string) ([]byte, error) {
	c, err := s.collectionFor(collection, "")
	if err != nil {
		return nil, err
	}
	s.l.mu.Lock()
	defer s.l.mu.Unlock()
	s.recordPrivateRead(collection, c, key)
	v, ok := c.data.values[key]
	if !ok {
		return nil, nil
	}
	sum := sha256.Sum256(v)
	return sum[:], nil
}

func (s *stub) privateWrite(collection, key string, value []byte, isDelete bool) (*write, error) {
	if _, err := s.collectionFor(collection, "write"); err != nil {
		return nil, err
	}
	if err := s.checkWrite(key, value, isDelete); err != nil {
		return nil, err
	}
	if s.private[collection] == nil {
		s.private[collection] = map[string]*write{}
	}
	return pending(s.private[collection], key), nil
}

func (s *stub) PutPrivateData(collection, key string, value []byte) error {
	w, err := s.privateWrite(collection, key, value, false)
	if err != nil {
		return err
	}
	w.value, w.delete = slices.Clone(value), false
	return nil
}

func (s *stub) DelPrivateData(collection, key string) error {
	w, err := s.privateWrite(collection, key, nil, true)
	if err != nil {
		return err
	}
	w.value, w.delete = nil, true
	return nil
}

// PurgePrivateData deletes the key; the in-memory ledger keeps no private
// history, so a purge and a delete look the same.
func (s *stub) PurgePrivateData(collection, key string) error {
	return s.DelPrivateData(collection, key)
}

func (s *stub) SetPrivateDataValidationParameter(collection, key string, ep []byte) error {
	w, err := s.privateWrite(collection, key, ep, false)
	if err != nil {
		return err
	}
	w.param = slices.Clone(ep)
	return nil
}

func (s *stub) GetPrivateDataValidationParameter(collection, key string) ([]byte, error) {
	c, err := s.collectionFor(collection, "")
	if err != nil {
		return nil, err
	}
	s.l.mu.Lock()
	defer s.l.mu.Unlock()
	return slices.Clone(c.data.params[key]), nil
}

func (s *stub) beforePrivateQuery(collection string) (*collection, error) {
	c, err := s.collectionFor(collection, "read")
	if err != nil {
		return nil, err
	}
	if s.wrote {
		return nil, fmt.Errorf("txid [%s]: unsuppored transaction. Queries on pvt data is supported only in a read-only transaction", s.txID)
	}
	s.privateQueried = true
	return c, nil
}

func (s *stub) GetPrivateDataByRange(collection, startKey, endKey string) (shim.StateQueryIteratorInterface, error) {
	if startKey == "" {
		startKey = emptyKeySubstitute
	}
	if err := validateSimpleKeys(startKey, endKey); err != nil {
		return nil, err
	}
	c, err := s.beforePrivateQuery(collection)
	if err != nil {
		return nil, err
	}
	iter, _, err := s.rangeQuery(c.data, startKey, endKey, 0, "")
	return iter, err
}

func (s *stub) GetPrivateDataByPartialCompositeKey(collection, objectType string, keys []string) (shim.StateQueryIteratorInterface, error) {
	start, end, err := partialKeyRange(objectType, keys)
	if err != nil {
		return nil, err
	}
	c, err := s.beforePrivateQuery(collection)
	if err != nil {
		return nil, err
	}
	iter, _, err := s.rangeQuery(c.data, start, end, 0, "")
	return iter, err
}

func (s *stub) GetPrivateDataQueryResult(string, string) (shim.StateQueryIteratorInterface, error) {
	return nil, unsupported("GetPrivateDataQueryResult (rich queries need CouchDB)")
}
