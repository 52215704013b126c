package dev.tally.options;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.api.UsageQuery;
import dev.tally.api.WindowSize;
import dev.tally.core.format.UsageFormats;
import dev.tally.core.time.Timestamps;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The command-line flags of a usage query ({@code tally query}, {@code tally-spark query}) turned into a
 * {@link UsageQuery}, with every bad flag reported at once under its own name. One parser, so both commands keep one
 * contract.
 */
public final class QueryFlags {
  private QueryFlags() {}

  /**
   * A parsed query and its output format.
   *
   * @param query the question
   * @param format how to print the answer
   */
  public record Parsed(UsageQuery query, UsageFormats.Format format) {}

  /** Parses the flags; {@code to} may be null (then now, from {@code clock}). */
  public static Parsed parse(String meter, String from, String to, String windowSize, String zone,
      List<String> subjects, List<String> groupBy, List<String> filters, String format, Clock clock) {
    List<Problem> problems = new ArrayList<>();
    ZoneId z = null;
    try {
      z = Timestamps.zone(zone);
    } catch (IllegalArgumentException e) {
      problems.add(Problem.of("--window-time-zone", e.getMessage(), zone));
    }
    ZoneId boundZone = z == null ? ZoneId.of("UTC") : z;
    Instant f = bound("--from", from, boundZone, problems);
    Instant t = to == null ? clock.instant() : bound("--to", to, boundZone, problems);
    Optional<WindowSize> ws = Optional.empty();
    if (windowSize != null) {
      try {
        ws = Optional.of(WindowSize.valueOf(windowSize.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        problems.add(Problem.of("--window-size", "must be MINUTE, HOUR, DAY or MONTH", windowSize));
      }
    }
    Map<String, String> filterMap = new LinkedHashMap<>();
    for (String kv : filters) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        problems.add(Problem.of("--filter-group-by", "must be KEY=VALUE", kv));
      } else {
        filterMap.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    UsageFormats.Format fmt = null;
    try {
      fmt = UsageFormats.Format.parse(format);
    } catch (IllegalArgumentException e) {
      problems.add(Problem.of("--format", e.getMessage(), format));
    }
    if (!problems.isEmpty()) {
      throw TallyException.invalid("invalid query", problems);
    }
    return new Parsed(new UsageQuery(meter, f, t, ws, z, subjects, groupBy, filterMap), fmt);
  }

  private static Instant bound(String flag, String text, ZoneId zone, List<Problem> problems) {
    try {
      return Timestamps.parseBound(text, zone);
    } catch (IllegalArgumentException e) {
      problems.add(Problem.of(flag, e.getMessage(), text));
      return Instant.EPOCH;
    }
  }
}
