'use strict';

// VerifyEvidenceByHash of content each worker submits in setup.

const { WorkloadModuleBase } = require('@hyperledger/caliper-core');
const { RUN, sha256Hex, mustSucceed, secretSalt } = require('./common');

const ITEMS = 5;

class VerifyEvidence extends WorkloadModuleBase {
    async initializeWorkloadModule(workerIndex, totalWorkers, roundIndex, roundArguments, sutAdapter, sutContext) {
        await super.initializeWorkloadModule(workerIndex, totalWorkers, roundIndex, roundArguments, sutAdapter, sutContext);
        const caseId = `${RUN}-VCASE${roundIndex}-${workerIndex}`;
        await mustSucceed(sutAdapter, {
            channel: 'judicial-evidence', contractId: 'evidence', contractFunction: 'OpenCase',
            contractArguments: [JSON.stringify({
                caseId, court: 'Internet Court of Example City', caseType: 'caliper load',
                parties: [{ ref: 'P1', role: 'plaintiff' }],
            })],
            transientMap: { parties: JSON.stringify({ salt: secretSalt(), parties: [{ ref: 'P1', name: 'Example Trading Ltd' }] }) },
            invokerMspId: 'InternetCourtMSP', invokerIdentity: 'clerk', readOnly: false,
        }, 'open case');
        this.hashes = [];
        for (let i = 0; i < ITEMS; i++) {
            const id = `${RUN}-V${roundIndex}-${workerIndex}-${i}`;
            const content = `caliper evidence ${id}`;
            await mustSucceed(sutAdapter, {
                channel: 'judicial-evidence', contractId: 'evidence', contractFunction: 'SubmitEvidence',
                contractArguments: [JSON.stringify({
                    evidenceId: id, caseId, contentSha256: sha256Hex(content), mediaType: 'text/plain',
                    sizeBytes: Buffer.byteLength(content), description: 'verification probe',
                    provenance: { tool: 'WebCapture 3.2', capturedAt: new Date(Date.now() - 3600e3).toISOString().replace(/\.\d+Z$/, 'Z'), source: 'https://chat.example/thread/18' },
                    sealedAs: 'content',
                })],
                transientMap: { content },
                invokerMspId: 'InternetCourtMSP', invokerIdentity: 'clerk', readOnly: false,
            }, 'submit probe evidence');
            this.hashes.push(sha256Hex(content));
        }
    }

    async submitTransaction() {
        this.txIndex = (this.txIndex || 0) + 1;
        return this.sutAdapter.sendRequests({
            channel: 'judicial-evidence', contractId: 'evidence', contractFunction: 'VerifyEvidenceByHash',
            contractArguments: [this.hashes[this.txIndex % this.hashes.length]],
            invokerMspId: 'InternetCourtMSP', invokerIdentity: 'clerk', readOnly: true,
        });
    }
}

module.exports.createWorkloadModule = () => new VerifyEvidence();
