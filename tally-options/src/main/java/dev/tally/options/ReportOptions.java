package dev.tally.options;

import dev.tally.core.cost.ChargeScope;
import dev.tally.core.format.UsageFormats;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The flags every cost report takes, on the store ({@code tally report}) and on the lake ({@code tally-spark report}):
 * filters, days, zone, which cost, which charges, and the output format.
 */
public final class ReportOptions {
  @Option(names = "--filter", paramLabel = "COL=VALUE",
      description = "Only charges whose column (a FOCUS column or tag:KEY) has this value (repeatable).")
  List<String> filters = new ArrayList<>();

  @Option(names = "--from", paramLabel = "DATE", description = "First day, inclusive (YYYY-MM-DD, in --zone).")
  String from;

  @Option(names = "--to", paramLabel = "DATE", description = "Last day, exclusive (YYYY-MM-DD, in --zone).")
  String to;

  @Option(names = "--zone", paramLabel = "ZONE", defaultValue = "UTC",
      description = "IANA time zone days, weeks and months are counted in (default: ${DEFAULT-VALUE}).")
  String zone;

  @Option(names = "--cost", paramLabel = "KIND", defaultValue = "billed",
      description = "billed, effective or list (default: ${DEFAULT-VALUE}).")
  String cost;

  @Option(names = "--charges", paramLabel = "WHICH",
      description = "usage, non-usage or all (default: all for totals, where non-usage is shown apart; usage for the"
          + " others).")
  String charges;

  @Mixin FormatOption.Table format;

  /**
   * The flags read, every bad one reported at once.
   *
   * @param defaultCharges the charges a report takes when --charges is not given
   * @param checkFilter checks one filter against what the engine knows of columns, throwing naming what is wrong
   */
  public ReportFlags.Parsed parse(ChargeScope defaultCharges, Consumer<String> checkFilter) {
    return ReportFlags.parse(filters, from, to, zone, cost, charges, defaultCharges, checkFilter);
  }

  /** Refuses --from and --to for a report whose days are its two periods. */
  public void refuseDays(String report) {
    ReportFlags.refuseDays(report, from, to);
  }

  /** The output format; checked before anything runs. */
  public UsageFormats.Format format() {
    return format.format().usage();
  }
}
