package dev.tally.cli.cost;

import dev.tally.core.cost.ChargeScope;
import dev.tally.core.cost.ReportFlags;
import dev.tally.core.format.UsageFormats;
import dev.tally.store.cost.CostFilter;
import dev.tally.store.cost.CostScope;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The flags every report takes: filters, days, zone, which cost, which charges, and the output format. */
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

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
      description = "json, csv or table (default: ${DEFAULT-VALUE}).")
  String format;

  /** The scope these flags describe, for a tenant; {@code defaultCharges} when --charges is not given. */
  CostScope scope(String tenant, ChargeScope defaultCharges) {
    List<CostFilter> parsed = new ArrayList<>();
    ReportFlags.Parsed p = ReportFlags.parse(filters, from, to, zone, cost, charges, defaultCharges,
        f -> parsed.add(CostFilter.parse("--filter", f)));
    return new CostScope(tenant, parsed, p.from(), p.to(), p.zone(), p.metric(), p.charges());
  }

  /** Refuses --from and --to for a report whose days are its two periods. */
  void refuseDays(String report) {
    ReportFlags.refuseDays(report, from, to);
  }

  UsageFormats.Format format() {
    return ReportFlags.format(format);
  }
}
