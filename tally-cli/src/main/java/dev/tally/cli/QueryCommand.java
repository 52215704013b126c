package dev.tally.cli;

import dev.tally.api.UsageResult;
import dev.tally.cli.common.StoreOptions;
import dev.tally.core.format.UsageFormats;
import dev.tally.core.query.QueryFlags;
import dev.tally.store.TallyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tally query}: a meter's usage, with OpenMeter's parameters in kebab-case. These flag names are a contract
 * that scripts rely on.
 */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description = {
      "Query a meter's usage over [from, to), optionally cut into windows in a time zone, grouped and filtered.",
      "Without --subject or --group-by subject, one figure across all subjects."
    },
    footer = {
      "",
      "Examples:",
      "  tally query ai_tokens --from 2024-04-01 --to 2024-05-01 --group-by model",
      "  tally query storage_gb --from 2024-03-01 --to 2024-04-01 --window-size DAY "
          + "--window-time-zone Europe/Paris --subject customer-07 --format table"
    })
final class QueryCommand implements Callable<Integer> {
  @Mixin StoreOptions store;

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
        java.time.Clock.systemUTC());
    UsageResult result;
    try (TallyStore s = store.open()) {
      result = s.queries().query(store.tenant(), parsed.query());
    }
    spec.commandLine().getOut().print(UsageFormats.render(result, parsed.format()));
    return 0;
  }
}
