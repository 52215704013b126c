package dev.tally.store.cost;

import static java.util.Objects.requireNonNull;

import dev.tally.core.cost.ChargeScope;
import dev.tally.core.cost.CostPeriod;
import dev.tally.core.cost.CostReportTables;
import dev.tally.core.cost.ReportTable;
import dev.tally.store.TallyStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The cost reports that aggregate: totals and shares, growth between periods, time series, and peaks. Each is one SQL
 * aggregation over {@code cost_charges}; what is made of the sums (order, top-N, sections, percentages, zero-filled
 * periods, peaks) is {@link CostReportTables}'s, shared with the Spark engine so both give the same report. The
 * model-based reports (explain, anomalies, forecast) are in {@link CostInsights}.
 *
 * <p>Every report refuses to add money across billing currencies, and sums usage only unless told otherwise (see
 * {@link ChargeScope}); the totals report shows non-usage charges in their own section.
 */
public final class CostReports {
  static final String ROUNDING_NOTE = CostReportTables.ROUNDING_NOTE;
  static final String NULL_VALUE = CostReportTables.NULL_VALUE;

  private final TallyStore store;

  CostReports(TallyStore store) {
    this.store = requireNonNull(store, "store is null");
  }

  /** Totals and shares by a column: see {@link CostReportTables#totals}. */
  public ReportTable totals(CostScope scope, CostColumn by, int top) {
    CostReportTables.checkTop(top);
    ScopeSql sql = new ScopeSql(scope.withCharges(ChargeScope.ALL), true);
    return store.read(c -> {
      Optional<String> currency = sql.currency(c);
      List<CostReportTables.TotalsSums> sums = new ArrayList<>();
      try (PreparedStatement ps = sql.prepare(c, "SELECT \"ChargeCategory\", " + by.sql() + " AS g, sum("
          + sql.metric() + "), sum(\"ConsumedQuantity\"), count(DISTINCT \"ConsumedUnit\"), min(\"ConsumedUnit\")"
          + " FROM cost_charges WHERE " + sql.where() + " GROUP BY ALL");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          sums.add(new CostReportTables.TotalsSums(rs.getString(1), rs.getString(2), rs.getBigDecimal(3),
              rs.getBigDecimal(4), rs.getLong(5), rs.getString(6)));
        }
      }
      return CostReportTables.totals(sums, scope.charges(), by.label(), scope.metric(), top, currency);
    });
  }

  /** Growth between two periods by a column: see {@link CostReportTables#growth}. */
  public ReportTable growth(CostScope scope, CostColumn by, CostPeriod base, CostPeriod compare) {
    ScopeSql sql = new ScopeSql(scope, false).inAny(List.of(base, compare));
    return store.read(c -> {
      Optional<String> currency = sql.currency(c);
      List<CostReportTables.GrowthSums> sums = new ArrayList<>();
      try (PreparedStatement ps = sql.prepare(c, "SELECT " + by.sql() + " AS g, coalesce(sum(" + sql.metric()
          + ") FILTER (WHERE " + sql.in(base) + "), 0), coalesce(sum(" + sql.metric() + ") FILTER (WHERE "
          + sql.in(compare) + "), 0) FROM cost_charges WHERE " + sql.where() + " GROUP BY ALL");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          sums.add(new CostReportTables.GrowthSums(rs.getString(1), rs.getBigDecimal(2), rs.getBigDecimal(3)));
        }
      }
      return CostReportTables.growth(sums, by.label(), base, compare, scope.zone(), scope.charges(), currency);
    });
  }

  /** The cost per day, ISO week or month: see {@link CostReportTables#series}. */
  public ReportTable series(CostScope scope, String window, Optional<CostColumn> by) {
    CostReportTables.checkWindow(window);
    ScopeSql sql = new ScopeSql(scope, true);
    return store.read(c -> {
      Optional<String> currency = sql.currency(c);
      List<CostReportTables.SeriesSums> sums = new ArrayList<>();
      String group = by.map(CostColumn::sql).orElse("CAST(NULL AS VARCHAR)");
      try (PreparedStatement ps = sql.prepare(c, "SELECT " + sql.bucket(window) + " AS p, " + group + " AS g, sum("
          + sql.metric() + ") FROM cost_charges WHERE " + sql.where() + " GROUP BY ALL");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          sums.add(new CostReportTables.SeriesSums(rs.getObject(1, LocalDate.class), rs.getString(2),
              rs.getBigDecimal(3)));
        }
      }
      return CostReportTables.series(sums, window, by.map(CostColumn::label), scope.zone(), scope.charges(),
          currency);
    });
  }

  /** The top {@code top} periods by cost, and the largest increase between consecutive periods. */
  public ReportTable peaks(CostScope scope, String window, int top) {
    CostReportTables.checkTop(top);
    return CostReportTables.peaks(series(scope, window, Optional.empty()), top);
  }

  static String value(String v) {
    return CostReportTables.value(v);
  }

  static List<Object> row(Object... cells) {
    return java.util.Arrays.asList(cells);
  }

  static ReportTable table(String name, Optional<String> currency, List<String> columns, List<List<Object>> rows,
      List<String> notes) {
    return new ReportTable(name, currency, columns, rows, notes);
  }
}
