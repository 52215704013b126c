package dev.tally.core.cost;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * How much one value of one column (say {@code ServiceName = Amazon EC2}) accounts for a change.
 *
 * @param dimension the column
 * @param value the column's value ({@code ""} for null)
 * @param base the value's amount before (in the base period, or as expected)
 * @param compare the value's amount after (in the compare period, or as it happened)
 * @param change {@code compare − base}: the contribution in money
 * @param percent the contribution in percent of the total change; empty when the total change is zero
 */
public record Contribution(String dimension, String value, BigDecimal base, BigDecimal compare, BigDecimal change,
    Optional<BigDecimal> percent) {
  public Contribution {
    requireNonNull(dimension, "dimension is null");
    requireNonNull(value, "value is null");
    requireNonNull(base, "base is null");
    requireNonNull(compare, "compare is null");
    requireNonNull(change, "change is null");
    requireNonNull(percent, "percent is null");
  }
}
