package dev.tally.core.pricing;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The usage of one charge (of one group, for dimensional prices) in a period, as the store measured it.
 *
 * @param charge the charge
 * @param groups the group-by values of the group (empty for uniform prices)
 * @param usage the quantity (and event values, for per-event percentage prices)
 * @param source the query that measured it
 */
public record ChargeUsage(Charge charge, Map<String, String> groups, Usage usage, UsageSource source) {
  public ChargeUsage {
    requireNonNull(charge, "charge is null");
    groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    requireNonNull(usage, "usage is null");
    requireNonNull(source, "source is null");
  }
}
