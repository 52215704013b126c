-- Restated bills (tally cost import --replace): which import replaced which earlier import's charges, and how much.
-- The replaced charges are deleted from cost_charges; this table keeps the trace of what they were.
CREATE TABLE cost_restatements (
  tenant VARCHAR NOT NULL,
  import_id BIGINT NOT NULL,
  replaced_import_id BIGINT NOT NULL,
  row_count BIGINT NOT NULL,
  billed_total DECIMAL(38,12) NOT NULL,
  PRIMARY KEY (tenant, import_id, replaced_import_id)
);
