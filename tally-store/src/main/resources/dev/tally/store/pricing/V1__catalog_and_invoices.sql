-- Pricing track. Tables have no primary keys on purpose: drafts are replaced by delete-and-insert inside one
-- transaction, which DuckDB's eager unique checks would refuse; uniqueness is kept by the code under the store's
-- single write lock.

-- Catalogue entities as declared (the JSON of one entry of a catalogue file), one row per (section, id).
-- Plan versions have id "plan@version" and are never replaced with different content.
CREATE TABLE pricing_catalog (
  tenant     VARCHAR     NOT NULL,
  section    VARCHAR     NOT NULL,
  id         VARCHAR     NOT NULL,
  doc        JSON        NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE pricing_settings (
  tenant       VARCHAR NOT NULL,
  grace_period VARCHAR NOT NULL
);

-- One invoice per subscription and billing period; id is "<subscription>@<active start>". A final invoice is never
-- updated or deleted: number, doc and content_hash are fixed at finalisation. events_seq is the highest event seq
-- the invoice has seen, so that late events are found by seq alone.
CREATE TABLE pricing_invoices (
  tenant               VARCHAR       NOT NULL,
  id                   VARCHAR       NOT NULL,
  subscription         VARCHAR       NOT NULL,
  customer             VARCHAR       NOT NULL,
  plan                 VARCHAR       NOT NULL,
  period_start         DATE          NOT NULL,
  period_end           DATE          NOT NULL,
  active_start         DATE          NOT NULL,
  active_end           DATE          NOT NULL,
  status               VARCHAR       NOT NULL,
  number               VARCHAR,
  currency             VARCHAR       NOT NULL,
  total_before_credits DECIMAL(38,9) NOT NULL,
  total                DECIMAL(38,9) NOT NULL,
  events_seq           BIGINT        NOT NULL,
  doc                  JSON          NOT NULL,
  content_hash         VARCHAR,
  created_at           TIMESTAMPTZ   NOT NULL,
  finalized_at         TIMESTAMPTZ
);

-- The last invoice number issued per tenant: numbers are taken in the finalising transaction, so they have no gaps.
CREATE TABLE pricing_invoice_numbers (
  tenant VARCHAR NOT NULL,
  last   BIGINT  NOT NULL
);

-- What each invoice billed for each usage line of a period: invoice is the invoice carrying the line, target the
-- invoice of the period the usage belongs to (the same, except for late-usage adjustments).
CREATE TABLE pricing_billed_usage (
  tenant   VARCHAR       NOT NULL,
  invoice  VARCHAR       NOT NULL,
  target   VARCHAR       NOT NULL,
  line_key VARCHAR       NOT NULL,
  quantity DECIMAL(38,9) NOT NULL,
  amount   DECIMAL(38,9) NOT NULL
);

-- Credit consumed from each wallet by each invoice.
CREATE TABLE pricing_credit_usage (
  tenant  VARCHAR       NOT NULL,
  wallet  VARCHAR       NOT NULL,
  invoice VARCHAR       NOT NULL,
  amount  DECIMAL(38,9) NOT NULL
);
