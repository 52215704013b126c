-- How far the event log has been loaded into the store: written in the same transaction as the events it loads, so
-- a crash at any point leaves the store and this position in step, and the loader replays exactly the rest.
CREATE TABLE wal_loaded (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  position BIGINT  NOT NULL
);
INSERT INTO wal_loaded VALUES (1, 0);

-- Log records that could not be loaded even alone (kept whole, with the reason), so that one bad record never stalls
-- every tenant behind it.
CREATE TABLE wal_failed (
  position  BIGINT      PRIMARY KEY,
  failed_at TIMESTAMPTZ NOT NULL,
  error     VARCHAR     NOT NULL,
  payload   BLOB        NOT NULL
);
