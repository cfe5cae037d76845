package education

import (
	"fmt"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/govshare/govshare/chaincode/foundation"
)

// RegisterLearningResource registers shared course material by the
// SHA-256 digest of its content, with its author, institution and licence.
// The first registration of a content digest stands: registering the same
// content again, by anyone, is refused and the error names the first
// registrant (anti-plagiarism).
//
// Access: role "registrar" of any member organisation (by membership), whose
// university has an active accreditation.
// Request: RegisterLearningResourceRequest {"contentHash", "title",
// "author", "licence"}. The institution is the caller's MSP ID.
// Reads: the caller's edu.accreditation, edu.resource/contentHash.
// Rule: one registration per content digest (ErrAlreadyExists).
// Writes: edu.resource/contentHash.
// Event: LearningResourceRegistered.
func (c *Contract) RegisterLearningResource(ctx contractapi.TransactionContextInterface, request string) (*LearningResource, error) {
	var req RegisterLearningResourceRequest
	tx, err := beginUniversityWrite(ctx, foundation.Allow("RegisterLearningResource", registrars()), request, &req)
	if err != nil {
		return nil, err
	}
	key, err := resourceKeys.Key(req.ContentHash)
	if err != nil {
		return nil, err
	}
	var first LearningResource
	found, err := tx.Get(key, &first)
	if err != nil {
		return nil, err
	}
	if found {
		return nil, foundation.AlreadyExists("learning resource", req.ContentHash,
			fmt.Sprintf("first registered by %s on %s as %q by %q", first.Institution, first.RegisteredAt.Format(timeLayout), first.Title, first.Author))
	}
	res := &LearningResource{
		ContentHash:  req.ContentHash,
		Title:        req.Title,
		Author:       req.Author,
		Institution:  tx.Caller.MSPID,
		Licence:      req.Licence,
		RegisteredAt: tx.Time,
		RegisteredBy: tx.Caller.ID,
	}
	if err := tx.Put(key, res); err != nil {
		return nil, err
	}
	return res, tx.Emit(EventLearningResourceRegistered)
}

// GetLearningResource returns the registration of a content digest.
//
// Access: any identity of the education-credit channel's members.
// Reads: edu.resource/contentHash.
// Errors: ErrNotFound if the digest is not registered.
func (c *Contract) GetLearningResource(ctx contractapi.TransactionContextInterface, contentHash string) (*LearningResource, error) {
	tx, err := beginRead(ctx, "GetLearningResource")
	if err != nil {
		return nil, err
	}
	if err := foundation.Arguments(func(v *foundation.Fields) { v.SHA256Hex("contentHash", contentHash) }); err != nil {
		return nil, err
	}
	key, err := resourceKeys.Key(contentHash)
	if err != nil {
		return nil, err
	}
	var res LearningResource
	found, err := tx.Get(key, &res)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, foundation.NotFound("learning resource", contentHash)
	}
	return &res, nil
}

// ListLearningResources returns one page of the learning resource registry
// in content digest order.
//
// Access: any identity of the education-credit channel's members.
// Arguments: pageSize (0 for the default, capped at 100) and the bookmark
// of the previous page ("" for the first).
// Reads: one page of edu.resource.
func (c *Contract) ListLearningResources(ctx contractapi.TransactionContextInterface, pageSize int32, bookmark string) (*LearningResourcePage, error) {
	tx, err := beginRead(ctx, "ListLearningResources")
	if err != nil {
		return nil, err
	}
	resources, info, err := foundation.List[LearningResource](tx, resourceKeys, nil, pageSize, bookmark)
	if err != nil {
		return nil, err
	}
	return &LearningResourcePage{Resources: resources, PageInfo: info}, nil
}
