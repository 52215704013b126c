package dev.tally.core.pricing;

import static java.util.Objects.requireNonNull;

import dev.tally.core.format.Decimals;
import dev.tally.core.text.Enums;
import java.math.BigDecimal;

/**
 * A reduction of an amount: a percentage of it, or a fixed amount. A reduction never takes an amount below zero.
 *
 * @param kind percent or fixed
 * @param value the percentage ({@code 10} for 10 %) or the fixed amount, not negative
 */
public record Reduction(Kind kind, BigDecimal value) {
  /** Percent or fixed. */
  public enum Kind {
    PERCENT,
    FIXED;

    public static Kind parse(String s) {
      return Enums.parse(Kind.class, s);
    }
  }

  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  public Reduction {
    requireNonNull(kind, "kind is null");
    requireNonNull(value, "value is null");
    if (value.signum() < 0) {
      throw new IllegalArgumentException("value must not be negative, given " + value);
    }
    if (kind == Kind.PERCENT && value.compareTo(HUNDRED) > 0) {
      throw new IllegalArgumentException("a percentage must be at most 100, given " + value);
    }
  }

  /** The exact amount taken off {@code base} (a positive number, at most {@code base}; zero if base is not positive). */
  public BigDecimal of(BigDecimal base) {
    if (base.signum() <= 0) {
      return BigDecimal.ZERO;
    }
    BigDecimal off = kind == Kind.PERCENT ? base.multiply(value).divide(HUNDRED) : value;
    return off.min(base);
  }

  /** {@code 10 %} or {@code 25 fixed}. */
  public String describe() {
    return kind == Kind.PERCENT ? Decimals.plain(value) + " %" : Decimals.plain(value) + " off";
  }
}
