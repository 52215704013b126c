package dev.tally.core.cost;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * Shares and percent changes, with one rounding rule everywhere: the exact quotient rounded to {@value #SCALE}
 * decimal places, half away from zero ({@link RoundingMode#HALF_UP}).
 *
 * <p>Each share is rounded on its own (no "largest remainder" adjustment), so a share always equals its own value over
 * the total to the cent of a percent; the price is that the shares of {@code n} groups sum to 100 only within
 * {@code n × 0.005}. Reports say so next to the figures.
 */
public final class Percentages {
  /** Decimal places of every percentage Tally shows. */
  public static final int SCALE = 2;

  /** The rounding of every percentage Tally shows. */
  public static final RoundingMode ROUNDING = RoundingMode.HALF_UP;

  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private Percentages() {}

  /** {@code part / total × 100}, rounded; empty when the total is zero (a share of nothing is undefined). */
  public static Optional<BigDecimal> share(BigDecimal part, BigDecimal total) {
    requireNonNull(part, "part is null");
    requireNonNull(total, "total is null");
    if (total.signum() == 0) {
      return Optional.empty();
    }
    return Optional.of(part.multiply(HUNDRED).divide(total, SCALE, ROUNDING));
  }

  /**
   * {@code (compare − base) / |base| × 100}, rounded; empty when the base is zero (growth from nothing has no
   * percentage). Dividing by {@code |base|} keeps the sign meaning "up" or "down" when the base is a negative credit.
   */
  static Optional<BigDecimal> change(BigDecimal base, BigDecimal compare) {
    requireNonNull(base, "base is null");
    requireNonNull(compare, "compare is null");
    if (base.signum() == 0) {
      return Optional.empty();
    }
    return Optional.of(compare.subtract(base).multiply(HUNDRED).divide(base.abs(), SCALE, ROUNDING));
  }
}
