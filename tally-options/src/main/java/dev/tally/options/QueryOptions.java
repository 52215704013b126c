package dev.tally.options;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A meter query as flags: OpenMeter's parameters in kebab-case, for {@code tally query} on the store and
 * {@code tally-spark query} on the lake. These names are a contract that scripts rely on.
 */
public final class QueryOptions {
  @Parameters(index = "0", paramLabel = "METER_SLUG", description = "The meter to query.")
  String meter;

  @Option(names = "--from", required = true, paramLabel = "T",
      description = "Start, inclusive: RFC 3339 (2024-04-01T00:00:00Z) or a date (midnight in the window time zone).")
  String from;

  @Option(names = "--to", paramLabel = "T", description = "End, exclusive (default: now).")
  String to;

  @Option(names = "--window-size", paramLabel = "SIZE", description = "MINUTE, HOUR, DAY or MONTH (default: none).")
  String windowSize;

  @Option(names = "--window-time-zone", paramLabel = "ZONE", defaultValue = "UTC",
      description = "IANA time zone windows are cut in (default: ${DEFAULT-VALUE}).")
  String zone;

  @Option(names = "--subject", paramLabel = "S", description = "Only these subjects (repeatable); groups by subject.")
  List<String> subjects = new ArrayList<>();

  @Option(names = "--group-by", paramLabel = "KEY", description = "Group by a meter key, or subject (repeatable).")
  List<String> groupBy = new ArrayList<>();

  @Option(names = "--filter-group-by", paramLabel = "KEY=VALUE",
      description = "Only rows whose group-by key has this value (repeatable).")
  List<String> filters = new ArrayList<>();

  @Mixin FormatOption.Json format;

  /**
   * The query and its output format, every bad flag reported at once ({@code --format} with the others).
   *
   * @param clock what {@code --to}'s default, now, is read from
   */
  public QueryFlags.Parsed parse(Clock clock) {
    return QueryFlags.parse(meter, from, to, windowSize, zone, subjects, groupBy, filters, format.text(), clock);
  }
}
