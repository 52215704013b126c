-- API keys. Only a SHA-256 hash of each key is kept: the key itself is shown once, at creation, and cannot be
-- recovered from the store. A revoked key keeps its row (revoked_at set) so that listings show what existed.
CREATE TABLE api_keys (
  id         VARCHAR     PRIMARY KEY,
  tenant     VARCHAR     NOT NULL,
  kind       VARCHAR     NOT NULL,
  hash       VARCHAR     NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  revoked_at TIMESTAMPTZ
);

-- Secrets the server signs with (portal tokens). Kept in the store so that tokens survive a restart.
CREATE TABLE server_secrets (
  name       VARCHAR     PRIMARY KEY,
  secret     VARCHAR     NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);
