package dev.tally.store.cost;

import static java.util.Objects.requireNonNull;

import dev.tally.core.cost.AnomalyDetector;
import dev.tally.core.cost.AnomalySettings;
import dev.tally.core.cost.Assessment;
import dev.tally.core.cost.CostPeriod;
import dev.tally.core.cost.CostReportTables;
import dev.tally.core.cost.Forecast;
import dev.tally.core.cost.Horizon;
import dev.tally.core.cost.ReportTable;
import dev.tally.core.cost.SeasonalTrendModel;
import dev.tally.store.TallyStore;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The day-by-day figures behind the anomaly and forecast reports, for drawing them: every judged day of a scope's
 * daily total with the model's expected amount and band ({@link #expected}), and every day of a forecast period with
 * its actual amount or its forecast and 80% band ({@link #forecastDays}). Same model, same history rules as
 * {@link CostInsights#anomalies} and {@link CostInsights#forecast}; they answer "which days" and "how much in all",
 * these answer "what did each day look like".
 */
public final class CostBands {
  /** The z of a two-sided 80% interval, as the forecast report's. */
  static final double Z80 = 1.2816;

  private final TallyStore store;

  public CostBands(TallyStore store) {
    this.store = requireNonNull(store, "store is null");
  }

  /**
   * Each day of the scope's from/to (all judged days when absent) of its daily total, judged as the anomaly report
   * judges the total: actual, expected, band, impact and whether it is an anomaly. Days before the series has
   * {@link AnomalySettings#minHistoryDays()} of history are not judged and not listed.
   */
  public ReportTable expected(CostScope scope, AnomalySettings settings) {
    requireNonNull(settings, "settings is null");
    ScopeSql sql = new ScopeSql(scope.withDays(Optional.empty(), scope.to()), true);
    return store.read(c -> {
      Optional<String> currency = sql.currency(c);
      TreeMap<LocalDate, BigDecimal> daily = daily(c, sql);
      List<List<Object>> rows = new ArrayList<>();
      if (!daily.isEmpty()) {
        LocalDate last = scope.to().map(t -> t.minusDays(1)).orElse(daily.lastKey());
        List<BigDecimal> values = new ArrayList<>();
        for (LocalDate d = daily.firstKey(); !d.isAfter(last); d = d.plusDays(1)) {
          values.add(daily.getOrDefault(d, BigDecimal.ZERO));
        }
        for (Assessment a : AnomalyDetector.assess(daily.firstKey(), values, settings)) {
          if (scope.from().map(f -> !a.day().isBefore(f)).orElse(true)) {
            rows.add(CostReports.row(a.day().toString(), a.actual(), a.expected(), a.lower(), a.upper(), a.impact(),
                a.impactPercent().orElse(null), a.anomaly()));
          }
        }
      }
      return CostReports.table("expected", currency, List.of("day", "actual", "expected", "lower", "upper", "impact",
          "impact_percent", "anomaly"), rows, List.of("each day against the anomaly model fitted to the days before "
          + "it; band = expected ± " + settings.band() + " σ; anomaly as in the anomalies report (band and thresholds)",
          "days in " + CostReportTables.zoneName(scope.zone()) + ", charges " + scope.charges().label()));
    });
  }

  /**
   * Each day of the month, quarter or year containing {@code asOf}: the actual amount of the days before it, then the
   * forecast of each day from it with a daily 80% band (the model's daily error; the period total's interval, which
   * grows with the square root of the days, is the forecast report's).
   *
   * @throws dev.tally.api.TallyException (invalid input) when the forecast report would refuse, with its reason
   */
  public ReportTable forecastDays(CostScope scope, Horizon horizon, LocalDate asOf) {
    ScopeSql sql = new ScopeSql(scope.withDays(Optional.empty(), Optional.of(asOf)), true);
    return store.read(c -> {
      Optional<String> currency = sql.currency(c);
      // The forecast report's own checks and totals, so that a refusal reads the same here.
      Forecast f = CostInsights.forecast(c, sql, horizon, asOf);
      TreeMap<LocalDate, BigDecimal> daily = daily(c, sql);
      List<BigDecimal> values = new ArrayList<>();
      for (LocalDate d = daily.firstKey(); d.isBefore(asOf); d = d.plusDays(1)) {
        values.add(daily.getOrDefault(d, BigDecimal.ZERO));
      }
      int history = f.historyDays();
      SeasonalTrendModel model = SeasonalTrendModel.fit(asOf.minusDays(history),
          values.subList(values.size() - history, values.size()), SeasonalTrendModel.DEFAULT_WINDOW);
      BigDecimal half = SeasonalTrendModel.estimate(Z80 * model.sigma());
      CostPeriod period = f.period();
      List<List<Object>> rows = new ArrayList<>();
      for (LocalDate d = period.start(); d.isBefore(period.end()); d = d.plusDays(1)) {
        if (d.isBefore(asOf)) {
          rows.add(CostReports.row(d.toString(), daily.getOrDefault(d, BigDecimal.ZERO), null, null, null));
        } else {
          BigDecimal v = SeasonalTrendModel.estimate(Math.max(0, model.expected(d)));
          rows.add(CostReports.row(d.toString(), null, v, v.subtract(half).max(BigDecimal.ZERO), v.add(half)));
        }
      }
      return CostReports.table("forecast-days", currency, List.of("day", "actual", "forecast", "lower_80",
          "upper_80"), rows, List.of("period " + period.label() + ": actual before " + asOf + ", then each day's "
          + "forecast with its own 80% interval; the period's total and its interval are the forecast report's",
          "days in " + CostReportTables.zoneName(scope.zone()) + ", charges " + scope.charges().label()));
    });
  }

  /** A scope's total by day (in its zone), for the days with a charge. */
  static TreeMap<LocalDate, BigDecimal> daily(Connection c, ScopeSql sql) throws SQLException {
    TreeMap<LocalDate, BigDecimal> daily = new TreeMap<>();
    try (PreparedStatement ps = sql.prepare(c, "SELECT " + sql.day() + ", sum(" + sql.metric()
        + ") FROM cost_charges WHERE " + sql.where() + " GROUP BY ALL");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        daily.put(rs.getObject(1, LocalDate.class), rs.getBigDecimal(2));
      }
    }
    return daily;
  }
}
