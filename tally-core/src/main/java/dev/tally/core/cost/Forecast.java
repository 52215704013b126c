package dev.tally.core.cost;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * A forecast of a period's total: what has been spent so far plus what the model expects for the remaining days.
 *
 * @param period the period forecast
 * @param asOf the first day not yet known; days before it are actuals
 * @param actual the amount spent in the period before {@code asOf}
 * @param remaining the expected amount for {@code [asOf, period end)}
 * @param total {@code actual + remaining}
 * @param lower the 80% interval's lower edge
 * @param upper the 80% interval's upper edge
 * @param historyDays days of history the model learned from
 */
public record Forecast(CostPeriod period, LocalDate asOf, BigDecimal actual, BigDecimal remaining, BigDecimal total,
    BigDecimal lower, BigDecimal upper, int historyDays) {
  public Forecast {
    requireNonNull(period, "period is null");
    requireNonNull(asOf, "asOf is null");
    requireNonNull(actual, "actual is null");
    requireNonNull(remaining, "remaining is null");
    requireNonNull(total, "total is null");
    requireNonNull(lower, "lower is null");
    requireNonNull(upper, "upper is null");
    if (total.compareTo(actual.add(remaining)) != 0) {
      throw new IllegalArgumentException("total " + total + " is not actual " + actual + " + remaining " + remaining);
    }
    if (lower.compareTo(total) > 0 || upper.compareTo(total) < 0) {
      throw new IllegalArgumentException("interval [" + lower + ", " + upper + "] does not contain " + total);
    }
  }
}
