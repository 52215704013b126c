package dev.tally.core.pricing;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a usage quantity comes from: the meter query that produced it, so that it can be re-run and traced to its
 * events.
 *
 * @param meter the meter's slug
 * @param from start of the queried range
 * @param to end of the queried range, exclusive
 * @param subjects the customer's subjects
 * @param filters the group-by values the rows were limited to (the charge's filter and, for dimensional prices, the
 *     group's values)
 * @param quantity the quantity the query returned
 */
public record UsageSource(String meter, Instant from, Instant to, List<String> subjects, Map<String, String> filters,
    BigDecimal quantity) {
  public UsageSource {
    requireNonNull(meter, "meter is null");
    requireNonNull(from, "from is null");
    requireNonNull(to, "to is null");
    subjects = List.copyOf(subjects);
    filters = Collections.unmodifiableMap(new LinkedHashMap<>(filters));
    requireNonNull(quantity, "quantity is null");
  }
}
