-- The tranches of allocations split for concurrent payments (fin.tranche),
-- and, kept with each allocation's running totals, what its tranches have
-- paid: an allocation's spending is spent + tranches_spent.
CREATE TABLE fin_tranches (
    allocation_id TEXT NOT NULL,
    tranche       INTEGER NOT NULL,
    layout        INTEGER NOT NULL,
    share         BIGINT NOT NULL,
    spent         BIGINT NOT NULL,
    record TEXT NOT NULL, channel TEXT NOT NULL, block BIGINT NOT NULL, tx_id TEXT NOT NULL, tx_time TEXT NOT NULL, last_block BIGINT NOT NULL, last_tx_id TEXT NOT NULL,
    PRIMARY KEY (allocation_id, tranche)
);
ALTER TABLE fin_spending ADD COLUMN tranches_spent BIGINT NOT NULL DEFAULT 0;
