package dev.tally.cli.metering;

import dev.tally.api.UsageResult;
import dev.tally.cli.common.StoreOptions;
import dev.tally.core.format.UsageFormats;
import dev.tally.options.QueryFlags;
import dev.tally.options.QueryOptions;
import dev.tally.store.TallyStore;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
public final class QueryCommand implements Callable<Integer> {
  @Mixin StoreOptions store;

  @Mixin QueryOptions query;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    QueryFlags.Parsed parsed = query.parse(Clock.systemUTC());
    UsageResult result;
    try (TallyStore s = store.open()) {
      result = s.queries().query(store.tenant(), parsed.query());
    }
    spec.commandLine().getOut().print(UsageFormats.render(result, parsed.format()));
    return 0;
  }
}
