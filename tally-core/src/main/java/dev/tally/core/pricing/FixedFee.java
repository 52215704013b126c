package dev.tally.core.pricing;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;

/**
 * A plan's fixed fee per billing period.
 *
 * <p>Timing: a fee {@code ARREARS} is billed on the invoice of the period it pays for. A fee {@code ADVANCE} is billed
 * one period ahead: the invoice of period P carries the fee for period P+1 (and a subscription's first invoice also
 * the fee for its first period). Either way the fee is prorated by the days the subscription is active in the period
 * it pays for.
 *
 * @param amount the fee for a whole period, not negative
 * @param timing when it is billed
 */
public record FixedFee(BigDecimal amount, Timing timing) {
  /** When a fixed fee is billed. */
  public enum Timing {
    ADVANCE,
    ARREARS
  }

  public FixedFee {
    requireNonNull(amount, "amount is null");
    requireNonNull(timing, "timing is null");
    if (amount.signum() < 0) {
      throw new IllegalArgumentException("amount must not be negative, given " + amount);
    }
  }
}
