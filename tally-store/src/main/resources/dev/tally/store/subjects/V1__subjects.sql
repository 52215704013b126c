-- OpenMeter's subjects: who an event's subject is (a customer's name and metadata), per tenant. The key is the
-- events' subject; the id is Tally's, a ULID, stable across upserts.
CREATE TABLE subjects (
  tenant VARCHAR NOT NULL,
  key VARCHAR NOT NULL,
  id VARCHAR NOT NULL,
  display_name VARCHAR,
  metadata JSON,
  current_period_start TIMESTAMPTZ,
  current_period_end TIMESTAMPTZ,
  stripe_customer_id VARCHAR,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (tenant, key),
  UNIQUE (tenant, id)
);
