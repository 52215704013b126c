package dev.tally.cli.cost;

import dev.tally.core.cost.CostPeriod;
import dev.tally.core.time.Timestamps;
import dev.tally.store.TallyStore;
import java.time.LocalDate;
import java.time.ZoneId;
import picocli.CommandLine.Option;

/** The day budgets and alerts are judged on, and the zone of their days: {@code --as-of} and {@code --zone}. */
final class AsOfOptions {
  @Option(names = "--as-of", paramLabel = "DATE",
      description = "The first day not yet known (default: today in --zone).")
  String asOf;

  @Option(names = "--zone", paramLabel = "ZONE", defaultValue = "UTC", description = "Default: ${DEFAULT-VALUE}.")
  String zone;

  ZoneId zone() {
    return ReportCommand.parse("--zone", zone, Timestamps::zone);
  }

  /** The --as-of day, or today in the zone by the store's clock. */
  LocalDate day(TallyStore store, ZoneId z) {
    return asOf == null ? LocalDate.now(store.clock().withZone(z)) : CostPeriod.date("--as-of", asOf);
  }
}
