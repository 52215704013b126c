package dev.tally.store;

import dev.tally.api.Aggregation;
import dev.tally.api.Event;
import dev.tally.api.Meter;
import dev.tally.api.UsageQuery;
import dev.tally.api.WindowSize;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Small builders shared by the store's tests. */
final class Fixtures {
  private Fixtures() {}

  static Event event(String id, String type, String subject, String time, String data) {
    return Event.of(id, "test", type, subject, Instant.parse(time), data);
  }

  static Meter meter(String slug, String type, Aggregation agg, String value, Map<String, String> groupBy) {
    return new Meter(slug, "", type, agg, Optional.ofNullable(value), new LinkedHashMap<>(groupBy), Optional.empty());
  }

  static UsageQuery query(String meter, String from, String to) {
    return new UsageQuery(meter, Instant.parse(from), Instant.parse(to), Optional.empty(), ZoneId.of("UTC"),
        List.of(), List.of(), Map.of());
  }

  static UsageQuery windowed(String meter, String from, String to, WindowSize size, String zone) {
    return new UsageQuery(meter, Instant.parse(from), Instant.parse(to), Optional.of(size), ZoneId.of(zone),
        List.of(), List.of(), Map.of());
  }

  static UsageQuery with(UsageQuery q, List<String> subjects, List<String> groupBy, Map<String, String> filters) {
    return new UsageQuery(q.meterSlug(), q.from(), q.to(), q.windowSize(), q.windowTimeZone(), subjects, groupBy,
        filters);
  }
}
