package dev.tally.core.cost;

import dev.tally.core.text.Enums;

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
      return Enums.parse(CostMetric.class, s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cost " + e.getMessage() + ", was: " + s, e);
    }
  }
}
