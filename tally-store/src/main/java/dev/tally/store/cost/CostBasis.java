package dev.tally.store.cost;

import java.util.Locale;

/**
 * What the cost columns of an imported file stand for. A FOCUS file gives BilledCost (as invoiced) and EffectiveCost
 * (commitment purchases spread over the usage they cover) itself; a provider export gives one cost, which is one or
 * the other depending on the export's kind, and is mapped accordingly.
 */
public enum CostBasis {
  /** A FOCUS file: BilledCost and EffectiveCost as the file gives them. */
  FOCUS,
  /** An actual-cost export: its cost is what was invoiced, and EffectiveCost equals it (no amortisation). */
  ACTUAL,
  /**
   * An amortized-cost export (Azure's "amortized cost"): its cost is EffectiveCost; BilledCost is that cost only where
   * no commitment covers the row, and 0 for commitment-covered usage and unused commitment, which the invoice bills as
   * the commitment's purchase instead.
   */
  AMORTIZED;

  /** The name stored and shown: {@code focus}, {@code actual}, {@code amortized}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The basis stored for an import; imports made before the basis was recorded count as {@link #ACTUAL}. */
  static CostBasis parse(String stored) {
    return stored == null ? ACTUAL : valueOf(stored.toUpperCase(Locale.ROOT));
  }
}
