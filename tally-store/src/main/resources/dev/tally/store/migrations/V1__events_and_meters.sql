-- Tenants own everything else; nothing is ever read or written across tenants.
CREATE TABLE tenants (
  id         VARCHAR PRIMARY KEY,
  created_at TIMESTAMPTZ NOT NULL
);

-- Every accepted event, once. The primary key is the exactly-once guarantee: an event is identified by
-- (tenant, source, id) forever. seq is Tally's own ingestion order, monotonic, used to find the rows a
-- commit added (row groups are append-ordered, so a seq range is read from min/max metadata alone).
CREATE TABLE events (
  tenant          VARCHAR     NOT NULL,
  source          VARCHAR     NOT NULL,
  id              VARCHAR     NOT NULL,
  seq             BIGINT      NOT NULL,
  type            VARCHAR     NOT NULL,
  subject         VARCHAR     NOT NULL,
  ts              TIMESTAMPTZ NOT NULL,
  ingested_at     TIMESTAMPTZ NOT NULL,
  data            JSON        NOT NULL,
  datacontenttype VARCHAR,
  dataschema      VARCHAR,
  PRIMARY KEY (tenant, source, id)
);

-- Meter definitions. Each meter's extracted values live in its own table meter_data_<table_id>, rebuilt from
-- events whenever the definition changes.
CREATE SEQUENCE meter_table_ids START 1;
CREATE TABLE meters (
  tenant     VARCHAR     NOT NULL,
  slug       VARCHAR     NOT NULL,
  table_id   INTEGER     NOT NULL UNIQUE,
  definition JSON        NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (tenant, slug)
);
