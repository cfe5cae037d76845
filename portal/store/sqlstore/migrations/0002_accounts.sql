-- Accounts of the oversight body's staff for the oversight pages, created
-- by an Oversight administrator (govportal account add); passwords are
-- bcrypt hashes. Sessions are kept by the SHA-256 of their cookie's token,
-- so the database alone opens none.
CREATE TABLE accounts (
    name          TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    msp_id        TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account    TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
