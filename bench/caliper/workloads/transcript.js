'use strict';

// GetTranscript of students with 5 credits each, recorded in setup.

const { WorkloadModuleBase } = require('@hyperledger/caliper-core');
const { RUN, student, mustSucceed, ensureAccredited } = require('./common');

const STUDENTS = 4;
const CREDITS = 5;

class Transcript extends WorkloadModuleBase {
    async initializeWorkloadModule(workerIndex, totalWorkers, roundIndex, roundArguments, sutAdapter, sutContext) {
        await super.initializeWorkloadModule(workerIndex, totalWorkers, roundIndex, roundArguments, sutAdapter, sutContext);
        if (workerIndex === 0) {
            await ensureAccredited(sutAdapter);
        }
        this.refs = [];
        for (let i = 0; i < STUDENTS; i++) {
            const s = student(`${RUN}-T${workerIndex}-${i}`);
            this.refs.push(s.ref);
            for (let k = 0; k < CREDITS; k++) {
                await mustSucceed(sutAdapter, {
                    channel: 'education-credit', contractId: 'education', contractFunction: 'RecordCredit',
                    contractArguments: [JSON.stringify({
                        creditId: `${RUN}-T${workerIndex}-${i}-${k}`, studentRef: s.ref, courseCode: `CAL${k}`,
                        courseTitle: 'Caliper course', creditTenths: 30, grade: 'A', term: '2026-autumn',
                    })],
                    transientMap: { student: JSON.stringify(s.details) },
                    invokerMspId: 'UniversityAMSP', invokerIdentity: 'registrar', readOnly: false,
                }, 'record a transcript credit');
            }
        }
    }

    async submitTransaction() {
        this.txIndex = (this.txIndex || 0) + 1;
        return this.sutAdapter.sendRequests({
            channel: 'education-credit', contractId: 'education', contractFunction: 'GetTranscript',
            contractArguments: [this.refs[this.txIndex % this.refs.length], '0', ''],
            invokerMspId: 'UniversityAMSP', invokerIdentity: 'registrar', readOnly: true,
        });
    }
}

module.exports.createWorkloadModule = () => new Transcript();
