'use strict';

// Disburse as EduMinistry's accountant, spread over allocations that each
// worker has the finance bureau make in setup: Caliper keeps several
// transactions of one worker in flight, and two payments against one
// allocation conflict (its running total), so each worker pays against
// its ALLOCATIONS allocations in turn. Argument: allocations (default 24).

const { WorkloadModuleBase } = require('@hyperledger/caliper-core');
const { RUN, sha256Hex, mustSucceed } = require('./common');

class Disburse extends WorkloadModuleBase {
    async initializeWorkloadModule(workerIndex, totalWorkers, roundIndex, roundArguments, sutAdapter, sutContext) {
        await super.initializeWorkloadModule(workerIndex, totalWorkers, roundIndex, roundArguments, sutAdapter, sutContext);
        const count = roundArguments.allocations || 24;
        const each = 1e12;
        const appropriationId = `${RUN}-P${roundIndex}-${workerIndex}`;
        const officer = { channel: 'finance-ledger', contractId: 'finance', invokerMspId: 'FinanceBureauMSP', invokerIdentity: 'budget-officer', readOnly: false };
        await mustSucceed(sutAdapter, Object.assign({}, officer, {
            contractFunction: 'Appropriate',
            contractArguments: [JSON.stringify({
                appropriationId, fiscalYear: 2026, title: 'Caliper budget line', administrativeCode: 'EDU-01',
                functionalCode: '09.1', economicCode: '2211', amount: each * count, currency: 'EUR',
            })],
        }), 'appropriate');
        this.allocations = [];
        for (let k = 0; k < count; k++) {
            const allocationId = `${appropriationId}-A${k}`;
            await mustSucceed(sutAdapter, Object.assign({}, officer, {
                contractFunction: 'Allocate',
                contractArguments: [JSON.stringify({
                    allocationId, appropriationId, agency: 'EduMinistryMSP', purpose: 'Caliper allocation', amount: each, currency: 'EUR',
                })],
            }), 'allocate');
            this.allocations.push(allocationId);
        }
    }

    async submitTransaction() {
        this.txIndex = (this.txIndex || 0) + 1;
        const id = `${RUN}-D${this.roundIndex}-${this.workerIndex}-${this.txIndex}`;
        return this.sutAdapter.sendRequests({
            channel: 'finance-ledger', contractId: 'finance', contractFunction: 'Disburse',
            contractArguments: [JSON.stringify({
                disbursementId: id, allocationId: this.allocations[this.txIndex % this.allocations.length],
                payee: { name: 'Example Publishing Ltd', registrationNumber: 'HRB-12345' },
                purpose: 'Caliper payment', procurementReference: 'TED-2026-000003', invoiceHash: sha256Hex(id),
                amount: 100, currency: 'EUR', transactionType: 'disbursement',
            })],
            invokerMspId: 'EduMinistryMSP', invokerIdentity: 'accountant', readOnly: false,
        });
    }
}

module.exports.createWorkloadModule = () => new Disburse();
