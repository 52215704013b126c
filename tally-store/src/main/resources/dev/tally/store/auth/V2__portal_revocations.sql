-- Invalidated portal tokens: one token by its id, or every token of a subject issued up to revoked_at. Tokens carry
-- their own claims and signature; this list is what makes them revocable before they expire.
CREATE TABLE portal_revocations (
  tenant     VARCHAR     NOT NULL,
  token_id   VARCHAR,
  subject    VARCHAR,
  revoked_at TIMESTAMPTZ NOT NULL
);
