package dev.tally.api;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A question asked of one meter, with OpenMeter's parameter names.
 *
 * <p>Grouping follows OpenMeter: {@code subject} is a reserved group-by key; filtering by subject also groups by
 * subject; with neither, one figure across all subjects. Without a window size, one figure per group over the
 * whole range {@code [from, to)}.
 *
 * @param meterSlug the meter to query
 * @param from inclusive start
 * @param to exclusive end
 * @param windowSize optional window size
 * @param windowTimeZone zone in which windows are cut (UTC by default)
 * @param subjects only these subjects (empty: all)
 * @param groupBy group-by keys of the meter, or {@code subject}
 * @param filterGroupBy only rows whose group-by key has this value
 */
public record UsageQuery(
    String meterSlug,
    Instant from,
    Instant to,
    Optional<WindowSize> windowSize,
    ZoneId windowTimeZone,
    List<String> subjects,
    List<String> groupBy,
    Map<String, String> filterGroupBy) {

  /** The reserved group-by key that groups by the event's subject. */
  public static final String SUBJECT = "subject";

  public UsageQuery {
    requireNonNull(meterSlug, "meterSlug is null");
    requireNonNull(from, "from is null");
    requireNonNull(to, "to is null");
    requireNonNull(windowSize, "windowSize is null");
    requireNonNull(windowTimeZone, "windowTimeZone is null");
    subjects = List.copyOf(subjects);
    groupBy = List.copyOf(groupBy);
    filterGroupBy = Collections.unmodifiableMap(new LinkedHashMap<>(filterGroupBy));
  }

  /** Whether the result rows carry a subject. */
  public boolean groupsBySubject() {
    return !subjects.isEmpty() || groupBy.contains(SUBJECT);
  }

  /** The meter group-by keys the result is grouped by, without {@code subject}. */
  public List<String> meterGroupBy() {
    return groupBy.stream().filter(k -> !k.equals(SUBJECT)).distinct().toList();
  }
}
