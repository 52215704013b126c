package dev.tally.spark;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.cost.ChargeScope;
import dev.tally.core.cost.CostPeriod;
import dev.tally.core.cost.ReportFlags;
import dev.tally.core.cost.ReportTable;
import dev.tally.core.format.UsageFormats;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tally-spark report totals|growth|series|peaks}: {@code tally report}'s flags and output on Spark over the
 * lake's cost charges.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Cost reports on Spark over the lake's cost charges, as 'tally report' gives them on the store.",
    subcommands = {
      SparkReportCommand.Totals.class,
      SparkReportCommand.GrowthReport.class,
      SparkReportCommand.Series.class,
      SparkReportCommand.Peaks.class
    })
final class SparkReportCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The flags of every report, as {@code tally report}'s. */
  static final class Flags {
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
        description = "usage, non-usage or all (default: all for totals, usage for the others).")
    String charges;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
        description = "json, csv or table (default: ${DEFAULT-VALUE}).")
    String format;

    /** The scope, for a tenant; filters' columns are checked against the lake when the report runs. */
    SparkCostReports.Scope scope(String tenant, ChargeScope defaultCharges) {
      ReportFlags.Parsed p = ReportFlags.parse(filters, from, to, zone, cost, charges, defaultCharges,
          f -> {
            if (f == null || f.indexOf('=') <= 0) {
              throw TallyException.invalid(Problem.of("--filter", "must be COLUMN=VALUE, e.g. ServiceName=Amazon EC2",
                  f));
            }
          });
      return new SparkCostReports.Scope(tenant, p.filters(), p.from(), p.to(), p.zone(), p.metric(), p.charges());
    }

    UsageFormats.Format format() {
      return ReportFlags.format(format);
    }
  }

  /** Opens the lake, runs a report, prints it. */
  abstract static class Report implements Callable<Integer> {
    @Mixin LakeOptions lake;
    @Mixin Flags flags;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    ChargeScope defaultCharges() {
      return ChargeScope.USAGE;
    }

    abstract ReportTable report(SparkCostReports reports, SparkCostReports.Scope scope);

    @Override
    public Integer call() {
      UsageFormats.Format format = flags.format();
      SparkCostReports.Scope scope = flags.scope(lake.tenant, defaultCharges());
      ReportTable table = report(new SparkCostReports(lake.open()), scope);
      spec.commandLine().getOut().print(table.render(format));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(name = "totals", mixinStandardHelpOptions = true,
      description = "Cost by a column with each group's share; top N and others; non-usage charges apart.")
  static final class Totals extends Report {
    @Option(names = "--by", required = true, paramLabel = "COL", description = "FOCUS column or tag:KEY.")
    String by;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "Groups shown (default: 10).")
    int top;

    @Override
    ChargeScope defaultCharges() {
      return ChargeScope.ALL;
    }

    @Override
    ReportTable report(SparkCostReports reports, SparkCostReports.Scope scope) {
      return reports.totals(scope, by, top);
    }
  }

  @Command(name = "growth", mixinStandardHelpOptions = true,
      description = "Per group: cost in a base and a compare period, the change and the percent change.")
  static final class GrowthReport extends Report {
    @Option(names = "--by", required = true, paramLabel = "COL", description = "FOCUS column or tag:KEY.")
    String by;

    @Option(names = "--base", required = true, paramLabel = "PERIOD",
        description = "YYYY-MM, YYYY-Www, YYYY-MM-DD or FROM..TO (TO exclusive).")
    String base;

    @Option(names = "--compare", required = true, paramLabel = "PERIOD", description = "As --base.")
    String compare;

    @Override
    ReportTable report(SparkCostReports reports, SparkCostReports.Scope scope) {
      ReportFlags.refuseDays("growth", flags.from, flags.to);
      return reports.growth(scope, by, CostPeriod.parse("--base", base), CostPeriod.parse("--compare", compare));
    }
  }

  @Command(name = "series", mixinStandardHelpOptions = true,
      description = "Cost per day, ISO week or month in a zone, optionally per value of a column.")
  static final class Series extends Report {
    @Option(names = "--window", required = true, paramLabel = "W", description = "day, week or month.")
    String window;

    @Option(names = "--by", paramLabel = "COL", description = "FOCUS column or tag:KEY.")
    String by;

    @Override
    ReportTable report(SparkCostReports reports, SparkCostReports.Scope scope) {
      return reports.series(scope, ReportFlags.window(window), Optional.ofNullable(by));
    }
  }

  @Command(name = "peaks", mixinStandardHelpOptions = true,
      description = "The top K periods by cost and the largest jump between consecutive periods.")
  static final class Peaks extends Report {
    @Option(names = "--window", required = true, paramLabel = "W", description = "day, week or month.")
    String window;

    @Option(names = "--top", paramLabel = "K", defaultValue = "3", description = "Peaks shown (default: 3).")
    int top;

    @Override
    ReportTable report(SparkCostReports reports, SparkCostReports.Scope scope) {
      return reports.peaks(scope, ReportFlags.window(window), top);
    }
  }
}
