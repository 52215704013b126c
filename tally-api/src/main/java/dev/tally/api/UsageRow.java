package dev.tally.api;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One figure of a usage query: the value of a meter for one window and one group.
 *
 * @param value the aggregated value, exact
 * @param windowStart start of the window (or of the query range when there is no window)
 * @param windowEnd end of the window, exclusive
 * @param subject the subject, when the query groups by subject
 * @param groupBy the group-by values of this row (a missing value is {@code null}-free: absent keys are omitted)
 */
public record UsageRow(
    BigDecimal value, Instant windowStart, Instant windowEnd, Optional<String> subject, Map<String, String> groupBy) {

  public UsageRow {
    requireNonNull(value, "value is null");
    requireNonNull(windowStart, "windowStart is null");
    requireNonNull(windowEnd, "windowEnd is null");
    requireNonNull(subject, "subject is null");
    // No map of its own when there are no group values: a query by subject and day returns millions of rows.
    groupBy = groupBy.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(groupBy));
  }
}
