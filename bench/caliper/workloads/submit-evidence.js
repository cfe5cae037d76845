'use strict';

// SubmitEvidence as the internet court's clerk into a case each worker
// opens in setup; the content goes as transient data and its SHA-256 in
// the request, as the contract documents.

const { WorkloadModuleBase } = require('@hyperledger/caliper-core');
const { RUN, sha256Hex, mustSucceed, secretSalt } = require('./common');

class SubmitEvidence extends WorkloadModuleBase {
    async initializeWorkloadModule(workerIndex, totalWorkers, roundIndex, roundArguments, sutAdapter, sutContext) {
        await super.initializeWorkloadModule(workerIndex, totalWorkers, roundIndex, roundArguments, sutAdapter, sutContext);
        this.caseId = `${RUN}-CASE${roundIndex}-${workerIndex}`;
        await mustSucceed(sutAdapter, {
            channel: 'judicial-evidence', contractId: 'evidence', contractFunction: 'OpenCase',
            contractArguments: [JSON.stringify({
                caseId: this.caseId, court: 'Internet Court of Example City', caseType: 'caliper load',
                parties: [{ ref: 'P1', role: 'plaintiff' }, { ref: 'P2', role: 'defendant' }],
            })],
            transientMap: { parties: JSON.stringify({ salt: secretSalt(), parties: [{ ref: 'P1', name: 'Example Trading Ltd' }, { ref: 'P2', name: 'Jane Example' }] }) },
            invokerMspId: 'InternetCourtMSP', invokerIdentity: 'clerk', readOnly: false,
        }, 'open case');
        this.hashes = [];
    }

    async submitTransaction() {
        this.txIndex = (this.txIndex || 0) + 1;
        const id = `${RUN}-E${this.roundIndex}-${this.workerIndex}-${this.txIndex}`;
        const content = `caliper evidence ${id}: chat export of the seller's final offer`;
        const digest = sha256Hex(content);
        this.hashes.push(digest);
        return this.sutAdapter.sendRequests({
            channel: 'judicial-evidence', contractId: 'evidence', contractFunction: 'SubmitEvidence',
            contractArguments: [JSON.stringify({
                evidenceId: id, caseId: this.caseId, contentSha256: digest, mediaType: 'text/plain',
                sizeBytes: Buffer.byteLength(content), description: 'chat transcript exported from the platform',
                provenance: { tool: 'WebCapture 3.2', capturedAt: new Date(Date.now() - 3600e3).toISOString().replace(/\.\d+Z$/, 'Z'), source: 'https://chat.example/thread/17' },
                sealedAs: 'content',
            })],
            transientMap: { content },
            invokerMspId: 'InternetCourtMSP', invokerIdentity: 'clerk', readOnly: false,
        });
    }
}

module.exports.createWorkloadModule = () => new SubmitEvidence();
