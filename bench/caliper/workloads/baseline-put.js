'use strict';

// Blind writes of the benchprobe chaincode (deployed on networks made for
// benchmarks) on one channel, under that channel's endorsement policy,
// through the given organisation's gateway, as its administrator: the
// only identity the probes admit. Arguments: channel, mspId, identity.

const { WorkloadModuleBase } = require('@hyperledger/caliper-core');
const { RUN } = require('./common');

const VALUE = 'govshare baseline value '.repeat(20);

class BaselinePut extends WorkloadModuleBase {
    async submitTransaction() {
        this.txIndex = (this.txIndex || 0) + 1;
        const a = this.roundArguments;
        return this.sutAdapter.sendRequests({
            channel: a.channel, contractId: 'benchprobe', contractFunction: 'Put',
            contractArguments: [`${RUN}-r${this.roundIndex}-w${this.workerIndex}-${this.txIndex}`, VALUE],
            invokerMspId: a.mspId, invokerIdentity: a.identity, readOnly: false,
        });
    }
}

module.exports.createWorkloadModule = () => new BaselinePut();
