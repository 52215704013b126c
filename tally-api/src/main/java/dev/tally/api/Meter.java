package dev.tally.api;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A meter: which events to count and how, with the field names OpenMeter uses.
 *
 * @param slug the meter's name, unique within a tenant ({@code [a-z0-9][a-z0-9_-]*}, at most 63 characters)
 * @param description free text
 * @param eventType the {@code type} of the events this meter counts
 * @param aggregation how values are combined
 * @param valueProperty JSONPath into {@code data} of the value (absent for {@link Aggregation#COUNT})
 * @param groupBy group-by keys, each a JSONPath into {@code data}, in declaration order
 * @param eventFrom events before this instant are ignored
 */
public record Meter(
    String slug,
    String description,
    String eventType,
    Aggregation aggregation,
    Optional<String> valueProperty,
    Map<String, String> groupBy,
    Optional<Instant> eventFrom) {

  public Meter {
    requireNonNull(slug, "slug is null");
    requireNonNull(description, "description is null");
    requireNonNull(eventType, "eventType is null");
    requireNonNull(aggregation, "aggregation is null");
    requireNonNull(valueProperty, "valueProperty is null");
    requireNonNull(groupBy, "groupBy is null");
    requireNonNull(eventFrom, "eventFrom is null");
    // Declaration order matters for display; keep it and make the map immutable.
    groupBy = Collections.unmodifiableMap(new LinkedHashMap<>(groupBy));
  }
}
