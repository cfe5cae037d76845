'use strict';

// RecordCredit as UniversityA's registrar: one new student per credit (a
// student's private record is read and written by each of its credits, so
// concurrent credits of one student would conflict); the student's details
// go as transient data, exactly as the contract documents.

const { WorkloadModuleBase } = require('@hyperledger/caliper-core');
const { RUN, student, ensureAccredited } = require('./common');

class RecordCredit extends WorkloadModuleBase {
    async initializeWorkloadModule(workerIndex, totalWorkers, roundIndex, roundArguments, sutAdapter, sutContext) {
        await super.initializeWorkloadModule(workerIndex, totalWorkers, roundIndex, roundArguments, sutAdapter, sutContext);
        if (workerIndex === 0) {
            await ensureAccredited(sutAdapter);
        }
    }

    async submitTransaction() {
        this.txIndex = (this.txIndex || 0) + 1;
        const id = `${RUN}-w${this.workerIndex}-${this.txIndex}`;
        const s = student(id);
        return this.sutAdapter.sendRequests({
            channel: 'education-credit', contractId: 'education', contractFunction: 'RecordCredit',
            contractArguments: [JSON.stringify({
                creditId: id, studentRef: s.ref, courseCode: 'CAL101', courseTitle: 'Caliper course',
                creditTenths: 60, grade: 'B', term: '2026-autumn',
            })],
            transientMap: { student: JSON.stringify(s.details) },
            invokerMspId: 'UniversityAMSP', invokerIdentity: 'registrar', readOnly: false,
        });
    }
}

module.exports.createWorkloadModule = () => new RecordCredit();
