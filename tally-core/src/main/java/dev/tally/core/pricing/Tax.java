package dev.tally.core.pricing;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;

/**
 * A tax rate with a name ({@code VAT}, {@code city}), charged on the lines it applies to after their discounts.
 * Lines take the taxes of their charge if it declares some, else of their plan, else of their customer; several
 * taxes may apply to the same line (each on the same base), and an invoice has one tax line per tax.
 *
 * @param name what the tax line says
 * @param ratePercent the rate in percent ({@code 20} for 20 %)
 */
public record Tax(String name, BigDecimal ratePercent) {
  public Tax {
    requireNonNull(name, "name is null");
    requireNonNull(ratePercent, "ratePercent is null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a tax needs a name");
    }
    if (ratePercent.signum() < 0 || ratePercent.compareTo(BigDecimal.valueOf(100)) > 0) {
      throw new IllegalArgumentException("rate must be between 0 and 100, given " + ratePercent.toPlainString());
    }
  }
}
