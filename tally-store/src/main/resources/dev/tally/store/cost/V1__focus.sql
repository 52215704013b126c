-- Cost and usage analytics: imported bills in FOCUS shape (track "cost", owned by dev.tally.store.cost).
-- Money is DECIMAL(38,12); quantities and unit prices DECIMAL(38,15); instants TIMESTAMPTZ (UTC); Tags JSON.

CREATE SEQUENCE cost_import_ids START 1;

-- One row per imported file; the same bytes are imported once per tenant.
CREATE TABLE cost_imports (
  id BIGINT PRIMARY KEY,
  tenant VARCHAR NOT NULL,
  format VARCHAR NOT NULL,
  focus_version VARCHAR NOT NULL,
  file_name VARCHAR NOT NULL,
  sha256 VARCHAR NOT NULL,
  row_count BIGINT NOT NULL,
  billed_total DECIMAL(38,12) NOT NULL,
  normalised JSON NOT NULL,
  imported_at TIMESTAMPTZ NOT NULL,
  UNIQUE (tenant, sha256)
);

-- Every FOCUS 1.0/1.1/1.2 column under its FOCUS name, plus where each row came from and any non-FOCUS columns.
CREATE TABLE cost_charges (
  tenant VARCHAR NOT NULL,
  import_id BIGINT NOT NULL,
  source_row BIGINT NOT NULL,
  "AvailabilityZone" VARCHAR,
  "BilledCost" DECIMAL(38,12) NOT NULL,
  "BillingAccountId" VARCHAR,
  "BillingAccountName" VARCHAR,
  "BillingAccountType" VARCHAR,
  "BillingCurrency" VARCHAR NOT NULL,
  "BillingPeriodEnd" TIMESTAMPTZ,
  "BillingPeriodStart" TIMESTAMPTZ,
  "CapacityReservationId" VARCHAR,
  "CapacityReservationStatus" VARCHAR,
  "ChargeCategory" VARCHAR NOT NULL,
  "ChargeClass" VARCHAR,
  "ChargeDescription" VARCHAR,
  "ChargeFrequency" VARCHAR,
  "ChargePeriodEnd" TIMESTAMPTZ NOT NULL,
  "ChargePeriodStart" TIMESTAMPTZ NOT NULL,
  "CommitmentDiscountCategory" VARCHAR,
  "CommitmentDiscountId" VARCHAR,
  "CommitmentDiscountName" VARCHAR,
  "CommitmentDiscountQuantity" DECIMAL(38,15),
  "CommitmentDiscountStatus" VARCHAR,
  "CommitmentDiscountType" VARCHAR,
  "CommitmentDiscountUnit" VARCHAR,
  "ConsumedQuantity" DECIMAL(38,15),
  "ConsumedUnit" VARCHAR,
  "ContractedCost" DECIMAL(38,12),
  "ContractedUnitPrice" DECIMAL(38,15),
  "EffectiveCost" DECIMAL(38,12) NOT NULL,
  "InvoiceId" VARCHAR,
  "InvoiceIssuerName" VARCHAR,
  "ListCost" DECIMAL(38,12) NOT NULL,
  "ListUnitPrice" DECIMAL(38,15),
  "PricingCategory" VARCHAR,
  "PricingCurrency" VARCHAR,
  "PricingCurrencyContractedUnitPrice" DECIMAL(38,15),
  "PricingCurrencyEffectiveCost" DECIMAL(38,12),
  "PricingCurrencyListUnitPrice" DECIMAL(38,15),
  "PricingQuantity" DECIMAL(38,15),
  "PricingUnit" VARCHAR,
  "ProviderName" VARCHAR,
  "PublisherName" VARCHAR,
  "RegionId" VARCHAR,
  "RegionName" VARCHAR,
  "ResourceId" VARCHAR,
  "ResourceName" VARCHAR,
  "ResourceType" VARCHAR,
  "ServiceCategory" VARCHAR,
  "ServiceName" VARCHAR,
  "ServiceSubcategory" VARCHAR,
  "SkuId" VARCHAR,
  "SkuMeter" VARCHAR,
  "SkuPriceDetails" JSON,
  "SkuPriceId" VARCHAR,
  "SubAccountId" VARCHAR,
  "SubAccountName" VARCHAR,
  "SubAccountType" VARCHAR,
  "Tags" JSON,
  x_Extra JSON
);

CREATE TABLE cost_budgets (
  tenant VARCHAR NOT NULL,
  name VARCHAR NOT NULL,
  period VARCHAR NOT NULL,
  amount DECIMAL(38,12) NOT NULL,
  charges VARCHAR NOT NULL,
  filters JSON NOT NULL,
  thresholds JSON NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (tenant, name)
);

CREATE SEQUENCE cost_alert_ids START 1;

-- An alert is produced once: its key (what crossed, in which period) is unique per tenant.
CREATE TABLE cost_alerts (
  id BIGINT PRIMARY KEY,
  tenant VARCHAR NOT NULL,
  alert_key VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,
  message VARCHAR NOT NULL,
  payload JSON NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  delivered_at TIMESTAMPTZ,
  UNIQUE (tenant, alert_key)
);

CREATE TABLE cost_alert_deliveries (
  alert_id BIGINT NOT NULL,
  attempt INTEGER NOT NULL,
  url VARCHAR NOT NULL,
  attempted_at TIMESTAMPTZ NOT NULL,
  status INTEGER,
  error VARCHAR,
  PRIMARY KEY (alert_id, attempt)
);

CREATE TABLE cost_webhooks (
  tenant VARCHAR PRIMARY KEY,
  url VARCHAR NOT NULL,
  secret VARCHAR NOT NULL
);
