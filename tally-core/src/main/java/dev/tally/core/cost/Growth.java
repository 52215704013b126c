package dev.tally.core.cost;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * One group's value in a base and a compare period, and how it changed.
 *
 * <p>A group absent from the base period (value zero there) has no percentage: it is {@link Status#NEW}; one absent
 * from the compare period is {@link Status#GONE} with −100%.
 *
 * @param base value in the base period (zero if absent)
 * @param compare value in the compare period (zero if absent)
 * @param change {@code compare − base}, exact
 * @param percent the change in percent of {@code |base|} ({@link Percentages} rounding); empty when base is zero
 * @param status a word for the change
 */
public record Growth(BigDecimal base, BigDecimal compare, BigDecimal change, Optional<BigDecimal> percent,
    Status status) {
  /** How a group changed. */
  public enum Status {
    /** Zero in the base period, non-zero in the compare period. */
    NEW,
    /** Non-zero in the base period, zero in the compare period. */
    GONE,
    UP,
    DOWN,
    UNCHANGED
  }

  public Growth {
    requireNonNull(base, "base is null");
    requireNonNull(compare, "compare is null");
    requireNonNull(change, "change is null");
    requireNonNull(percent, "percent is null");
    requireNonNull(status, "status is null");
    if (change.compareTo(compare.subtract(base)) != 0) {
      throw new IllegalArgumentException("change " + change + " is not compare " + compare + " - base " + base);
    }
  }

  /** The growth from {@code base} to {@code compare}. */
  static Growth of(BigDecimal base, BigDecimal compare) {
    BigDecimal change = compare.subtract(base);
    Status status;
    if (base.signum() == 0 && compare.signum() != 0) {
      status = Status.NEW;
    } else if (base.signum() != 0 && compare.signum() == 0) {
      status = Status.GONE;
    } else if (change.signum() > 0) {
      status = Status.UP;
    } else if (change.signum() < 0) {
      status = Status.DOWN;
    } else {
      status = Status.UNCHANGED;
    }
    return new Growth(base, compare, change, Percentages.change(base, compare), status);
  }
}
