package dev.tally.spark;

import dev.tally.api.UsageResult;
import dev.tally.core.format.UsageFormats;
import dev.tally.core.query.QueryFlags;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally-spark query}: {@code tally query}'s contract (flags, JSON, CSV, table) on Spark over the lake. */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description = {
      "Query a meter's usage over [from, to) on Spark, exactly as 'tally query' does on the store.",
      "Without --subject or --group-by subject, one figure across all subjects."
    },
    footer = {
      "",
      "Example:",
      "  tally-spark query ai_tokens --input lake --tenant demo --from 2024-04-01 --to 2024-05-01 --group-by model"
    })
final class SparkQueryCommand implements Callable<Integer> {
  @Mixin LakeOptions lake;

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

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json",
      description = "json, csv or table (default: ${DEFAULT-VALUE}).")
  String format;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    QueryFlags.Parsed parsed = QueryFlags.parse(meter, from, to, windowSize, zone, subjects, groupBy, filters, format,
        Clock.systemUTC());
    SparkLake l = lake.open();
    UsageResult result = new SparkUsageEngine(l, Clock.systemUTC()).query(lake.tenant, parsed.query());
    spec.commandLine().getOut().print(UsageFormats.render(result, parsed.format()));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
