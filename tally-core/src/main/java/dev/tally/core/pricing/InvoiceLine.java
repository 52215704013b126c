package dev.tally.core.pricing;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One line of an invoice.
 *
 * @param number 1-based position on the invoice
 * @param kind what kind of line, which fixes its step in the order of application
 * @param description what the customer reads
 * @param charge the charge id, for usage lines and the discounts and adjustments of a charge
 * @param groups the group-by values of a dimensional usage line
 * @param quantity the quantity priced (zero for lines that price no quantity)
 * @param unit the unit of the quantity
 * @param exact the exact amount before rounding
 * @param amount the amount rounded to the currency's minor unit; the invoice adds these
 * @param reference what the line refers to: a discount id, a coupon code, a wallet id, an adjusted invoice's id
 * @param explanation why the line has this amount
 */
public record InvoiceLine(int number, LineKind kind, String description, Optional<String> charge,
    Map<String, String> groups, BigDecimal quantity, String unit, BigDecimal exact, BigDecimal amount,
    Optional<String> reference, LineExplanation explanation) {
  public InvoiceLine {
    requireNonNull(kind, "kind is null");
    requireNonNull(description, "description is null");
    requireNonNull(charge, "charge is null");
    groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    requireNonNull(quantity, "quantity is null");
    requireNonNull(unit, "unit is null");
    requireNonNull(exact, "exact is null");
    requireNonNull(amount, "amount is null");
    requireNonNull(reference, "reference is null");
    requireNonNull(explanation, "explanation is null");
    if (number < 1) {
      throw new IllegalArgumentException("line number must be 1 or more, given " + number);
    }
  }

  /** The key that identifies a usage line across re-ratings: the charge and the group values. */
  public String usageKey() {
    return charge.orElse("") + (groups.isEmpty() ? "" : "{" + Pricing.describe(groups) + "}");
  }
}
