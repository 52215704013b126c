package dev.tally.core.pricing;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What late usage changed on a finalised invoice, for one usage line: the difference between the line rated again
 * with all events now known and what was already billed for it (on the invoice and in earlier adjustments).
 *
 * @param invoice the id of the finalised invoice
 * @param invoiceNumber its number
 * @param charge the charge id
 * @param groups the group-by values of the line
 * @param unit the unit of the quantity
 * @param quantityDelta the change in quantity
 * @param amountDelta the change in the rounded amount, not zero
 * @param arithmetic how the delta was computed
 */
public record Adjustment(String invoice, String invoiceNumber, String charge, Map<String, String> groups, String unit,
    BigDecimal quantityDelta, BigDecimal amountDelta, String arithmetic) {
  public Adjustment {
    requireNonNull(invoice, "invoice is null");
    requireNonNull(invoiceNumber, "invoiceNumber is null");
    requireNonNull(charge, "charge is null");
    groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    requireNonNull(unit, "unit is null");
    requireNonNull(quantityDelta, "quantityDelta is null");
    requireNonNull(amountDelta, "amountDelta is null");
    requireNonNull(arithmetic, "arithmetic is null");
  }
}
