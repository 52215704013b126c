-- Pricing track, version 2: voids and credit notes. Final invoices are never edited: voiding one adds a row here
-- (its document, number and content hash stay as sealed), and a credit note is a document of its own that refers to
-- the invoice it credits. Neither is ever deleted.

CREATE TABLE pricing_invoice_voids (
  tenant    VARCHAR     NOT NULL,
  invoice   VARCHAR     NOT NULL,
  reason    VARCHAR     NOT NULL,
  voided_at TIMESTAMPTZ NOT NULL
);

-- Credit notes are numbered CN-000001... per tenant without gaps, in the transaction that issues them.
CREATE TABLE pricing_credit_notes (
  tenant    VARCHAR       NOT NULL,
  number    VARCHAR       NOT NULL,
  invoice   VARCHAR       NOT NULL,
  customer  VARCHAR       NOT NULL,
  currency  VARCHAR       NOT NULL,
  reason    VARCHAR       NOT NULL,
  total     DECIMAL(38,9) NOT NULL,
  doc       JSON          NOT NULL,
  issued_at TIMESTAMPTZ   NOT NULL
);
