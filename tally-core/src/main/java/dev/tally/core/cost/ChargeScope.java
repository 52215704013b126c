package dev.tally.core.cost;

import dev.tally.core.text.Enums;
import java.util.Locale;

/**
 * Which charges a report covers. Usage is the default everywhere: purchases (consulting, support, reservations bought
 * up front), taxes, credits and adjustments are not consumption, and mixed into usage they would distort shares,
 * growth and anomalies. The totals report always shows them, in their own section.
 */
public enum ChargeScope {
  /** {@code ChargeCategory = 'Usage'}. */
  USAGE,
  /** Everything but usage: Purchase, Tax, Credit, Adjustment. */
  NON_USAGE,
  /** Every charge. */
  ALL;

  /** Parses {@code usage}, {@code non-usage} or {@code all}. */
  public static ChargeScope parse(String s) {
    try {
      return Enums.parse(ChargeScope.class, s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("charges " + e.getMessage() + ", was: " + s, e);
    }
  }

  /** The name as flags write it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
