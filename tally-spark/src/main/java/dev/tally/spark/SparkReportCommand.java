package dev.tally.spark;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.cost.ChargeScope;
import dev.tally.options.ReportFlags;
import dev.tally.core.cost.ReportTable;
import dev.tally.core.format.UsageFormats;
import dev.tally.options.CommandGroup;
import dev.tally.options.ReportFlagSets;
import dev.tally.options.ReportOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
final class SparkReportCommand extends CommandGroup {
  /** The scope the report flags describe, for a tenant; filters' columns are checked against the lake when it runs. */
  static SparkCostReports.Scope scope(ReportOptions flags, String tenant, ChargeScope defaultCharges) {
    ReportFlags.Parsed p = flags.parse(defaultCharges, f -> {
      if (f == null || f.indexOf('=') <= 0) {
        throw TallyException.invalid(Problem.of("--filter", "must be COLUMN=VALUE, e.g. ServiceName=Amazon EC2", f));
      }
    });
    return new SparkCostReports.Scope(tenant, p.filters(), p.from(), p.to(), p.zone(), p.metric(), p.charges());
  }

  /** Opens the lake, runs a report, prints it. */
  abstract static class Report implements Callable<Integer> {
    @Mixin LakeOptions lake;
    @Mixin ReportOptions flags;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    ChargeScope defaultCharges() {
      return ChargeScope.USAGE;
    }

    abstract ReportTable report(SparkCostReports reports, SparkCostReports.Scope scope);

    @Override
    public Integer call() {
      UsageFormats.Format format = flags.format();
      SparkCostReports.Scope scope = scope(flags, lake.tenant, defaultCharges());
      ReportTable table = report(new SparkCostReports(lake.open()), scope);
      spec.commandLine().getOut().print(table.render(format));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(name = "totals", mixinStandardHelpOptions = true, description = ReportFlagSets.TOTALS)
  static final class Totals extends Report {
    @Mixin ReportFlagSets.Totals totals;

    @Override
    ChargeScope defaultCharges() {
      return ChargeScope.ALL;
    }

    @Override
    ReportTable report(SparkCostReports reports, SparkCostReports.Scope scope) {
      return reports.totals(scope, totals.by(), totals.top());
    }
  }

  @Command(name = "growth", mixinStandardHelpOptions = true, description = ReportFlagSets.GROWTH)
  static final class GrowthReport extends Report {
    @Mixin ReportFlagSets.Growth growth;

    @Override
    ReportTable report(SparkCostReports reports, SparkCostReports.Scope scope) {
      flags.refuseDays("growth");
      return reports.growth(scope, growth.by(), growth.base(), growth.compare());
    }
  }

  @Command(name = "series", mixinStandardHelpOptions = true, description = ReportFlagSets.SERIES)
  static final class Series extends Report {
    @Mixin ReportFlagSets.Series series;

    @Override
    ReportTable report(SparkCostReports reports, SparkCostReports.Scope scope) {
      return reports.series(scope, series.window(), series.by());
    }
  }

  @Command(name = "peaks", mixinStandardHelpOptions = true, description = ReportFlagSets.PEAKS)
  static final class Peaks extends Report {
    @Mixin ReportFlagSets.Peaks peaks;

    @Override
    ReportTable report(SparkCostReports reports, SparkCostReports.Scope scope) {
      return reports.peaks(scope, peaks.window(), peaks.top());
    }
  }
}
