'use strict';

// Shared helpers of govshare's Caliper workload modules: unique
// identifiers per run and worker, student references as the education
// contract computes them, and requests that fail setup loudly.

const crypto = require('crypto');

// One run tag per manager process start, shared by the workers through
// the environment when the run script sets it.
const RUN = process.env.GOVSHARE_CALIPER_RUN || ('CL' + Date.now().toString(36));

function sha256Hex(data) {
    return crypto.createHash('sha256').update(data).digest('hex');
}

// student returns the transient details and the ledger reference of a load
// student: the salt is derived from the number, the reference is
// sha256(salt + ":" + number), as chaincode/education.StudentRef.
function student(number) {
    const salt = sha256Hex('caliper salt ' + number).slice(0, 32);
    return {
        details: { studentNumber: number, fullName: 'Caliper Student ' + number, birthDate: '2004-03-01', salt },
        ref: sha256Hex(salt + ':' + number),
    };
}

// secretSalt returns 32 random bytes in hex: the secret salt that goes
// with a case's party names, as the contract requires.
function secretSalt() {
    return crypto.randomBytes(32).toString('hex');
}

// send submits or evaluates one request and, for setup steps, throws
// when it did not succeed.
async function mustSucceed(sutAdapter, request, what) {
    const status = await sutAdapter.sendRequests(request);
    if (status.GetStatus() !== 'success') {
        throw new Error(`${what} failed: ${JSON.stringify(status.GetErrMsg ? status.GetErrMsg() : status)}`);
    }
    return status.GetResult();
}

// ensureAccredited accredits both universities as the ministry's officer
// unless they are.
async function ensureAccredited(sutAdapter) {
    for (const [mspId, name] of [['UniversityAMSP', 'University A'], ['UniversityBMSP', 'University B']]) {
        const query = {
            channel: 'education-credit', contractId: 'education', contractFunction: 'GetAccreditation',
            contractArguments: [mspId], invokerMspId: 'EduMinistryMSP', invokerIdentity: 'officer', readOnly: true,
        };
        const status = await sutAdapter.sendRequests(query);
        if (status.GetStatus() === 'success') {
            const acc = JSON.parse(Buffer.from(status.GetResult()).toString());
            if (acc.status === 'active') {
                continue;
            }
        }
        await mustSucceed(sutAdapter, {
            channel: 'education-credit', contractId: 'education', contractFunction: 'AccreditUniversity',
            contractArguments: [JSON.stringify({ mspId, name })], invokerMspId: 'EduMinistryMSP', invokerIdentity: 'officer',
            readOnly: false,
        }, 'accredit ' + mspId);
    }
}

module.exports = { RUN, sha256Hex, student, mustSucceed, ensureAccredited, secretSalt };
