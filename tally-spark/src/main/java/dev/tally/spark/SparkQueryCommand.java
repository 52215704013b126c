package dev.tally.spark;

import dev.tally.api.UsageResult;
import dev.tally.core.format.UsageFormats;
import dev.tally.options.QueryFlags;
import dev.tally.options.QueryOptions;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin QueryOptions query;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    QueryFlags.Parsed parsed = query.parse(Clock.systemUTC());
    SparkLake l = lake.open();
    UsageResult result = new SparkUsageEngine(l, Clock.systemUTC()).query(lake.tenant, parsed.query());
    spec.commandLine().getOut().print(UsageFormats.render(result, parsed.format()));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
