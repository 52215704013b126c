-- What an import rounded, and which cost its BilledCost and EffectiveCost stand for.
-- rounded: per cost column, how many values had more decimal places than DECIMAL(38,12) keeps, and the change that
--   rounding made to the BilledCost total ({"columns": {"BilledCost": 2}, "billedChange": "-0.0000000000004"}).
-- cost_basis: 'actual' (billed cost as invoiced) or 'amortized' (an Azure amortized-cost export: EffectiveCost spreads
--   commitment purchases over their term); NULL for imports made before this column existed.
ALTER TABLE cost_imports ADD COLUMN rounded JSON;
ALTER TABLE cost_imports ADD COLUMN cost_basis VARCHAR;
