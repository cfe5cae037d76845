-- The portal's read model: the same schema for SQLite and PostgreSQL.
-- Times are TEXT in UTC, fixed width (2006-01-02T15:04:05.000000Z), so that
-- they sort as text; amounts are BIGINT minor units; lists are JSON TEXT.
-- Each domain table keeps the contract's record as written on the ledger
-- (record, JSON) with the columns its queries filter, sort or sum on, and
-- the block and transaction of the record's first and latest write.

-- The checkpoint: the next block of each channel, written in the same
-- transaction as that block's rows.
CREATE TABLE channels (
    channel      TEXT PRIMARY KEY,
    next_block   BIGINT NOT NULL,
    last_hash    TEXT NOT NULL,
    transactions BIGINT NOT NULL,
    valid        BIGINT NOT NULL,
    updated_at   TEXT NOT NULL
);

CREATE TABLE blocks (
    channel       TEXT NOT NULL,
    number        BIGINT NOT NULL,
    hash          TEXT NOT NULL,
    previous_hash TEXT NOT NULL,
    data_hash     TEXT NOT NULL,
    transactions  INTEGER NOT NULL,
    block_time    TEXT NOT NULL,
    PRIMARY KEY (channel, number)
);

CREATE TABLE transactions (
    seq               BIGINT NOT NULL UNIQUE,
    channel           TEXT NOT NULL,
    block             BIGINT NOT NULL,
    idx               INTEGER NOT NULL,
    tx_id             TEXT NOT NULL,
    tx_time           TEXT NOT NULL,
    tx_type           TEXT NOT NULL,
    creator_msp       TEXT NOT NULL,
    creator_role      TEXT NOT NULL,
    creator_name      TEXT NOT NULL,
    chaincode         TEXT NOT NULL,
    chaincode_version TEXT NOT NULL,
    fn                TEXT NOT NULL,
    valid             BOOLEAN NOT NULL,
    validation_code   TEXT NOT NULL,
    event             TEXT NOT NULL,
    endorsers         TEXT NOT NULL,
    writes            INTEGER NOT NULL,
    size              INTEGER NOT NULL,
    problem           TEXT NOT NULL,
    PRIMARY KEY (channel, block, idx)
);
CREATE INDEX transactions_by_id ON transactions (tx_id);

-- Every entry of every write set. Keys are stored by parts (a composite
-- key's object type and its attributes as a JSON list; state_key for any
-- other key) because a composite key's separators are NUL characters.
-- written_value is the public value: JSON or text as it is, anything else
-- in base64 (value_encoding says which); NULL for deletions, private writes
-- and policies.
CREATE TABLE writes (
    channel        TEXT NOT NULL,
    block          BIGINT NOT NULL,
    tx_idx         INTEGER NOT NULL,
    idx            INTEGER NOT NULL,
    tx_id          TEXT NOT NULL,
    valid          BOOLEAN NOT NULL,
    namespace      TEXT NOT NULL,
    collection     TEXT NOT NULL,
    object_type    TEXT NOT NULL,
    attributes     TEXT NOT NULL,
    state_key      TEXT NOT NULL,
    key_hash       TEXT NOT NULL,
    value_hash     TEXT NOT NULL,
    written_value  TEXT,
    value_encoding TEXT NOT NULL,
    is_delete      BOOLEAN NOT NULL,
    policy_write   BOOLEAN NOT NULL,
    endorsers      TEXT NOT NULL,
    PRIMARY KEY (channel, block, tx_idx, idx)
);
CREATE INDEX writes_policies ON writes (policy_write, channel, block);

CREATE TABLE events (
    channel   TEXT NOT NULL,
    block     BIGINT NOT NULL,
    tx_idx    INTEGER NOT NULL,
    tx_id     TEXT NOT NULL,
    chaincode TEXT NOT NULL,
    name      TEXT NOT NULL,
    payload   TEXT NOT NULL,
    valid     BOOLEAN NOT NULL,
    PRIMARY KEY (channel, block, tx_idx)
);

-- education-credit
CREATE TABLE edu_accreditations (
    msp_id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    record TEXT NOT NULL, channel TEXT NOT NULL, block BIGINT NOT NULL, tx_id TEXT NOT NULL, tx_time TEXT NOT NULL, last_block BIGINT NOT NULL, last_tx_id TEXT NOT NULL
);
CREATE TABLE edu_credits (
    credit_id   TEXT PRIMARY KEY,
    student_ref TEXT NOT NULL,
    issuer      TEXT NOT NULL,
    status      TEXT NOT NULL,
    record TEXT NOT NULL, channel TEXT NOT NULL, block BIGINT NOT NULL, tx_id TEXT NOT NULL, tx_time TEXT NOT NULL, last_block BIGINT NOT NULL, last_tx_id TEXT NOT NULL
);
CREATE INDEX edu_credits_by_student ON edu_credits (student_ref, credit_id);
CREATE TABLE edu_recognitions (
    credit_id     TEXT NOT NULL,
    recognised_by TEXT NOT NULL,
    student_ref   TEXT NOT NULL,
    status        TEXT NOT NULL,
    record TEXT NOT NULL, channel TEXT NOT NULL, block BIGINT NOT NULL, tx_id TEXT NOT NULL, tx_time TEXT NOT NULL, last_block BIGINT NOT NULL, last_tx_id TEXT NOT NULL,
    PRIMARY KEY (credit_id, recognised_by)
);
CREATE INDEX edu_recognitions_by_student ON edu_recognitions (student_ref, credit_id);
CREATE TABLE edu_revocations (
    record_type TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    issuer      TEXT NOT NULL,
    record TEXT NOT NULL, channel TEXT NOT NULL, block BIGINT NOT NULL, tx_id TEXT NOT NULL, tx_time TEXT NOT NULL, last_block BIGINT NOT NULL, last_tx_id TEXT NOT NULL,
    PRIMARY KEY (record_type, record_id)
);
CREATE TABLE edu_diplomas (
    document_hash TEXT PRIMARY KEY,
    student_ref   TEXT NOT NULL,
    issuer        TEXT NOT NULL,
    status        TEXT NOT NULL,
    record TEXT NOT NULL, channel TEXT NOT NULL, block BIGINT NOT NULL, tx_id TEXT NOT NULL, tx_time TEXT NOT NULL, last_block BIGINT NOT NULL, last_tx_id TEXT NOT NULL
);
CREATE INDEX edu_diplomas_by_student ON edu_diplomas (student_ref);
CREATE TABLE edu_resources (
    content_hash TEXT PRIMARY KEY,
    institution  TEXT NOT NULL,
    record TEXT NOT NULL, channel TEXT NOT NULL, block BIGINT NOT NULL, tx_id TEXT NOT NULL, tx_time TEXT NOT NULL, last_block BIGINT NOT NULL, last_tx_id TEXT NOT NULL
);
CREATE INDEX edu_resources_by_time ON edu_resources (tx_time);

-- finance-ledger
CREATE TABLE fin_appropriations (
    appropriation_id TEXT PRIMARY KEY,
    fiscal_year      INTEGER NOT NULL,
    functional       TEXT NOT NULL,
    record TEXT NOT NULL, channel TEXT NOT NULL, block BIGINT NOT NULL, tx_id TEXT NOT NULL, tx_time TEXT NOT NULL, last_block BIGINT NOT NULL, last_tx_id TEXT NOT NULL
);
CREATE INDEX fin_appropriations_by_year ON fin_appropriations (fiscal_year, appropriation_id);
CREATE TABLE fin_budgets (
    appropriation_id TEXT PRIMARY KEY,
    fiscal_year      INTEGER NOT NULL,
    administrative   TEXT NOT NULL,
    functional       TEXT NOT NULL,
    economic         TEXT NOT NULL,
    currency         TEXT NOT NULL,
    appropriated     BIGINT NOT NULL,
    allocated        BIGINT NOT NULL,
    record TEXT NOT NULL, channel TEXT NOT NULL, block BIGINT NOT NULL, tx_id TEXT NOT NULL, tx_time TEXT NOT NULL, last_block BIGINT NOT NULL, last_tx_id TEXT NOT NULL
);
CREATE INDEX fin_budgets_by_year ON fin_budgets (fiscal_year);
CREATE TABLE fin_allocations (
    allocation_id    TEXT PRIMARY KEY,
    appropriation_id TEXT NOT NULL,
    record TEXT NOT NULL, channel TEXT NOT NULL, block BIGINT NOT NULL, tx_id TEXT NOT NULL, tx_time TEXT NOT NULL, last_block BIGINT NOT NULL, last_tx_id TEXT NOT NULL
);
CREATE INDEX fin_allocations_by_appropriation ON fin_allocations (appropriation_id, allocation_id);
CREATE TABLE fin_spending (
    allocation_id    TEXT PRIMARY KEY,
    appropriation_id TEXT NOT NULL,
    fiscal_year      INTEGER NOT NULL,
    agency           TEXT NOT NULL,
    currency         TEXT NOT NULL,
    allocated        BIGINT NOT NULL,
    spent            BIGINT NOT NULL,
    record TEXT NOT NULL, channel TEXT NOT NULL, block BIGINT NOT NULL, tx_id TEXT NOT NULL, tx_time TEXT NOT NULL, last_block BIGINT NOT NULL, last_tx_id TEXT NOT NULL
);
CREATE INDEX fin_spending_by_year ON fin_spending (fiscal_year);
CREATE INDEX fin_spending_by_appropriation ON fin_spending (appropriation_id);
CREATE TABLE fin_disbursements (
    disbursement_id TEXT PRIMARY KEY,
    allocation_id   TEXT NOT NULL,
    fiscal_year     INTEGER NOT NULL,
    agency          TEXT NOT NULL,
    payee_reg       TEXT NOT NULL,
    invoice_hash    TEXT NOT NULL,
    amount          BIGINT NOT NULL,
    currency        TEXT NOT NULL,
    record TEXT NOT NULL, channel TEXT NOT NULL, block BIGINT NOT NULL, tx_id TEXT NOT NULL, tx_time TEXT NOT NULL, last_block BIGINT NOT NULL, last_tx_id TEXT NOT NULL
);
CREATE INDEX fin_disbursements_by_allocation ON fin_disbursements (allocation_id, disbursement_id);
CREATE INDEX fin_disbursements_by_payee ON fin_disbursements (payee_reg, disbursement_id);
CREATE INDEX fin_disbursements_by_year ON fin_disbursements (fiscal_year, agency, disbursement_id);
CREATE INDEX fin_disbursements_by_invoice ON fin_disbursements (invoice_hash);
-- Totals per payee and currency, kept as payments and their reversals
-- arrive, so that the payee listing never sums the payments.
CREATE TABLE fin_payees (
    payee_reg     TEXT NOT NULL,
    currency      TEXT NOT NULL,
    name          TEXT NOT NULL,
    disbursements BIGINT NOT NULL,
    amount        BIGINT NOT NULL,
    reversed      BIGINT NOT NULL,
    PRIMARY KEY (payee_reg, currency)
);
CREATE INDEX fin_payees_by_amount ON fin_payees (amount, payee_reg, currency);
CREATE TABLE fin_reversals (
    reversal_id TEXT PRIMARY KEY,
    record_type TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    record TEXT NOT NULL, channel TEXT NOT NULL, block BIGINT NOT NULL, tx_id TEXT NOT NULL, tx_time TEXT NOT NULL, last_block BIGINT NOT NULL, last_tx_id TEXT NOT NULL
);
CREATE INDEX fin_reversals_by_record ON fin_reversals (record_type, record_id);
CREATE INDEX fin_reversals_by_time ON fin_reversals (tx_time, reversal_id);
CREATE TABLE fin_approvals (
    reversal_id TEXT NOT NULL,
    msp_id      TEXT NOT NULL,
    record TEXT NOT NULL, channel TEXT NOT NULL, block BIGINT NOT NULL, tx_id TEXT NOT NULL, tx_time TEXT NOT NULL, last_block BIGINT NOT NULL, last_tx_id TEXT NOT NULL,
    PRIMARY KEY (reversal_id, msp_id)
);
CREATE TABLE fin_reversal_entries (
    record_type TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    reversal_id TEXT NOT NULL,
    record TEXT NOT NULL, channel TEXT NOT NULL, block BIGINT NOT NULL, tx_id TEXT NOT NULL, tx_time TEXT NOT NULL, last_block BIGINT NOT NULL, last_tx_id TEXT NOT NULL,
    PRIMARY KEY (record_type, record_id)
);
CREATE INDEX fin_reversal_entries_by_reversal ON fin_reversal_entries (reversal_id);
CREATE TABLE fin_findings (
    record_type TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    finding_id  TEXT NOT NULL,
    severity    TEXT NOT NULL,
    record TEXT NOT NULL, channel TEXT NOT NULL, block BIGINT NOT NULL, tx_id TEXT NOT NULL, tx_time TEXT NOT NULL, last_block BIGINT NOT NULL, last_tx_id TEXT NOT NULL,
    PRIMARY KEY (record_type, record_id, finding_id)
);

-- judicial-evidence
CREATE TABLE evd_cases (
    case_id TEXT PRIMARY KEY,
    status  TEXT NOT NULL,
    record TEXT NOT NULL, channel TEXT NOT NULL, block BIGINT NOT NULL, tx_id TEXT NOT NULL, tx_time TEXT NOT NULL, last_block BIGINT NOT NULL, last_tx_id TEXT NOT NULL
);
CREATE INDEX evd_cases_by_time ON evd_cases (tx_time, case_id);
CREATE TABLE evd_evidence (
    evidence_id    TEXT PRIMARY KEY,
    case_id        TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    record TEXT NOT NULL, channel TEXT NOT NULL, block BIGINT NOT NULL, tx_id TEXT NOT NULL, tx_time TEXT NOT NULL, last_block BIGINT NOT NULL, last_tx_id TEXT NOT NULL
);
CREATE INDEX evd_evidence_by_case ON evd_evidence (case_id, evidence_id);
CREATE INDEX evd_evidence_by_content ON evd_evidence (content_sha256);
CREATE TABLE evd_notarisations (
    evidence_id TEXT NOT NULL,
    sequence    INTEGER NOT NULL,
    record TEXT NOT NULL, channel TEXT NOT NULL, block BIGINT NOT NULL, tx_id TEXT NOT NULL, tx_time TEXT NOT NULL, last_block BIGINT NOT NULL, last_tx_id TEXT NOT NULL,
    PRIMARY KEY (evidence_id, sequence)
);
CREATE TABLE evd_custody (
    evidence_id TEXT NOT NULL,
    sequence    INTEGER NOT NULL,
    record TEXT NOT NULL, channel TEXT NOT NULL, block BIGINT NOT NULL, tx_id TEXT NOT NULL, tx_time TEXT NOT NULL, last_block BIGINT NOT NULL, last_tx_id TEXT NOT NULL,
    PRIMARY KEY (evidence_id, sequence)
);
CREATE TABLE evd_access_requests (
    request_id  TEXT PRIMARY KEY,
    evidence_id TEXT NOT NULL,
    status      TEXT NOT NULL,
    record TEXT NOT NULL, channel TEXT NOT NULL, block BIGINT NOT NULL, tx_id TEXT NOT NULL, tx_time TEXT NOT NULL, last_block BIGINT NOT NULL, last_tx_id TEXT NOT NULL
);
CREATE INDEX evd_access_requests_by_time ON evd_access_requests (tx_time, request_id);
CREATE TABLE evd_access_log (
    evidence_id TEXT NOT NULL,
    sequence    INTEGER NOT NULL,
    record TEXT NOT NULL, channel TEXT NOT NULL, block BIGINT NOT NULL, tx_id TEXT NOT NULL, tx_time TEXT NOT NULL, last_block BIGINT NOT NULL, last_tx_id TEXT NOT NULL,
    PRIMARY KEY (evidence_id, sequence)
);
CREATE INDEX evd_access_log_by_time ON evd_access_log (tx_time, evidence_id, sequence);
