package dev.tally.core.cost;

import java.util.Locale;

/** Which FOCUS cost a report sums. */
public enum CostMetric {
  /** {@code BilledCost}: what the invoice says (the default). */
  BILLED("BilledCost"),
  /** {@code EffectiveCost}: amortised, after commitment discounts. */
  EFFECTIVE("EffectiveCost"),
  /** {@code ListCost}: at public list prices. */
  LIST("ListCost");

  private final String column;

  CostMetric(String column) {
    this.column = column;
  }

  /** The FOCUS column summed. */
  public String column() {
    return column;
  }

  /** Parses {@code billed}, {@code effective} or {@code list}. */
  public static CostMetric parse(String s) {
    try {
      return valueOf(s.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("cost must be billed, effective or list, was: " + s, e);
    }
  }
}
