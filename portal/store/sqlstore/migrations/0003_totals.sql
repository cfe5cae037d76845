-- Counts kept as rows arrive, for tables too large to count on every view
-- of the home page: the payments.
CREATE TABLE totals (
    kind TEXT PRIMARY KEY,
    n    BIGINT NOT NULL
);
INSERT INTO totals (kind, n) SELECT 'disbursements', COUNT(*) FROM fin_disbursements;
