package dev.tally.cli.cost;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.cli.common.StoreOptions;
import dev.tally.core.cost.AnomalySettings;
import dev.tally.core.cost.ChargeScope;
import dev.tally.core.cost.CostPeriod;
import dev.tally.core.cost.Horizon;
import dev.tally.options.ReportFlags;
import dev.tally.core.cost.ReportTable;
import dev.tally.options.CommandGroup;
import dev.tally.options.ReportFlagSets;
import dev.tally.options.ReportOptions;
import dev.tally.store.TallyStore;
import dev.tally.store.cost.CostColumn;
import dev.tally.store.cost.CostFilter;
import dev.tally.store.cost.CostInsights;
import dev.tally.store.cost.CostScope;
import dev.tally.store.cost.CostStore;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tally report ...}: cost and usage reports over imported bills. The flag names are a contract that scripts
 * rely on; see docs/cost-analytics.md for each report with an example.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Cost and usage reports: totals, growth, series, peaks, explain, anomalies, forecast.",
    subcommands = {
      ReportCommand.Totals.class,
      ReportCommand.GrowthReport.class,
      ReportCommand.Series.class,
      ReportCommand.Peaks.class,
      ReportCommand.Explain.class,
      ReportCommand.Anomalies.class,
      ReportCommand.ForecastReport.class
    })
public final class ReportCommand extends CommandGroup {
  /** Shared plumbing: open the store, build the scope, run a report, print it. */
  abstract static class Report implements Callable<Integer> {
    @Mixin StoreOptions store;
    @Mixin ReportOptions options;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    ChargeScope defaultCharges() {
      return ChargeScope.USAGE;
    }

    abstract ReportTable report(CostStore cost, CostScope scope);

    @Override
    public Integer call() {
      var format = options.format();
      CostScope scope = scope(options, store.tenant(), defaultCharges());
      ReportTable table;
      try (TallyStore s = store.open()) {
        table = report(CostStore.on(s), scope);
      }
      spec.commandLine().getOut().print(table.render(format));
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
    ReportTable report(CostStore cost, CostScope scope) {
      return cost.reports().totals(scope, CostColumn.parse("--by", totals.by()), totals.top());
    }
  }

  @Command(name = "growth", mixinStandardHelpOptions = true, description = ReportFlagSets.GROWTH)
  static final class GrowthReport extends Report {
    @Mixin ReportFlagSets.Growth growth;

    @Override
    ReportTable report(CostStore cost, CostScope scope) {
      options.refuseDays("growth");
      return cost.reports().growth(scope, CostColumn.parse("--by", growth.by()), growth.base(), growth.compare());
    }
  }

  @Command(name = "series", mixinStandardHelpOptions = true, description = ReportFlagSets.SERIES)
  static final class Series extends Report {
    @Mixin ReportFlagSets.Series series;

    @Override
    ReportTable report(CostStore cost, CostScope scope) {
      return cost.reports().series(scope, series.window(), series.by().map(b -> CostColumn.parse("--by", b)));
    }
  }

  @Command(name = "peaks", mixinStandardHelpOptions = true, description = ReportFlagSets.PEAKS)
  static final class Peaks extends Report {
    @Mixin ReportFlagSets.Peaks peaks;

    @Override
    ReportTable report(CostStore cost, CostScope scope) {
      return cost.reports().peaks(scope, peaks.window(), peaks.top());
    }
  }

  @Command(name = "explain", mixinStandardHelpOptions = true,
      description = "Which values of which columns account for the change between two periods.")
  static final class Explain extends Report {
    @Option(names = "--base", required = true, paramLabel = "PERIOD", description = "The period before.")
    String base;

    @Option(names = "--compare", required = true, paramLabel = "PERIOD", description = "The period after.")
    String compare;

    @Option(names = "--by", paramLabel = "COL",
        description = "Columns to explain by (repeatable; default: ServiceName, SubAccountId, RegionId, ResourceId,"
            + " ChargeCategory).")
    List<String> by = new ArrayList<>();

    @Option(names = "--top", paramLabel = "N", defaultValue = "5", description = "Values per column (default: 5).")
    int top;

    @Override
    ReportTable report(CostStore cost, CostScope scope) {
      options.refuseDays("explain");
      return cost.insights().explain(scope, CostPeriod.parse("--base", base), CostPeriod.parse("--compare", compare),
          columns(by), top);
    }
  }

  @Command(name = "anomalies", mixinStandardHelpOptions = true,
      description = "Days whose cost is outside the band of a trend-and-weekly model learned from the days before,"
          + " with root causes.")
  static final class Anomalies extends Report {
    @Option(names = "--by", paramLabel = "COL", description = "Judge each value of this column as its own series.")
    String by;

    @Option(names = "--cause", paramLabel = "COL",
        description = "Columns searched for root causes (repeatable; default: ServiceName, SubAccountId, RegionId,"
            + " ResourceId, ChargeCategory).")
    List<String> causes = new ArrayList<>();

    @Option(names = "--min-impact", paramLabel = "MONEY", defaultValue = "0",
        description = "Smallest |actual - expected| reported (default: ${DEFAULT-VALUE}).")
    BigDecimal minImpact;

    @Option(names = "--min-percent", paramLabel = "P", defaultValue = "10",
        description = "Smallest |actual - expected| in percent of expected (default: ${DEFAULT-VALUE}).")
    BigDecimal minPercent;

    @Override
    ReportTable report(CostStore cost, CostScope scope) {
      AnomalySettings settings = AnomalyFlags.settings(minImpact, minPercent, "--min-impact/--min-percent");
      return cost.insights().anomalies(scope, Optional.ofNullable(by).map(b -> CostColumn.parse("--by", b)),
          settings, columns(causes));
    }
  }

  @Command(name = "forecast", mixinStandardHelpOptions = true,
      description = "Forecast to the end of the month, quarter or year, with an 80%% interval.")
  static final class ForecastReport extends Report {
    @Option(names = "--horizon", required = true, paramLabel = "H", description = "month, quarter or year.")
    String horizon;

    @Option(names = "--as-of", paramLabel = "DATE",
        description = "The first day not yet known (default: today in --zone); days before it are history.")
    String asOf;

    @Override
    ReportTable report(CostStore cost, CostScope scope) {
      Horizon h = parse("--horizon", horizon, Horizon::parse);
      LocalDate day = asOf == null ? LocalDate.now(cost.store().clock().withZone(scope.zone()))
          : CostPeriod.date("--as-of", asOf);
      return cost.insights().forecast(scope, h, day);
    }
  }

  /** The scope the report flags describe, for a tenant, its filters resolved against the store's columns. */
  static CostScope scope(ReportOptions options, String tenant, ChargeScope defaultCharges) {
    List<CostFilter> filters = new ArrayList<>();
    ReportFlags.Parsed p = options.parse(defaultCharges, f -> filters.add(CostFilter.parse("--filter", f)));
    return new CostScope(tenant, filters, p.from(), p.to(), p.zone(), p.metric(), p.charges());
  }

  static List<CostColumn> columns(List<String> names) {
    return names.isEmpty() ? CostInsights.defaultDimensions()
        : names.stream().map(n -> CostColumn.parse("--by", n)).toList();
  }

  static <T> T parse(String flag, String given, Function<String, T> parser) {
    try {
      return parser.apply(given);
    } catch (IllegalArgumentException e) {
      throw TallyException.invalid(Problem.of(flag, e.getMessage(), given));
    }
  }
}
