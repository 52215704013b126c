package dev.tally.store.cost;

import static java.util.Objects.requireNonNull;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.cost.AnomalyDetector;
import dev.tally.core.cost.AnomalySettings;
import dev.tally.core.cost.Assessment;
import dev.tally.core.cost.Contribution;
import dev.tally.core.cost.Contributions;
import dev.tally.core.cost.CostPeriod;
import dev.tally.core.cost.CostReportTables;
import dev.tally.core.cost.Forecast;
import dev.tally.core.cost.Forecaster;
import dev.tally.core.cost.Horizon;
import dev.tally.core.cost.Percentages;
import dev.tally.core.cost.ReportTable;
import dev.tally.store.Sql;
import dev.tally.store.TallyStore;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The reports that explain and predict: contribution analysis between two periods, anomalies with root causes, and
 * forecasts. SQL produces daily series and per-value sums; the models are tally-core's ({@link AnomalyDetector},
 * {@link Contributions}, {@link Forecaster}).
 */
public final class CostInsights {
  /** The columns searched for explanations and root causes when none are named. */
  public static final List<String> DEFAULT_DIMENSIONS =
      List.of("ServiceName", "SubAccountId", "RegionId", "ResourceId", "ChargeCategory");

  /** Days before an anomalous day whose mix of values sets each value's share of the expected amount. */
  public static final int ROOT_CAUSE_HISTORY_DAYS = 28;

  /** Root causes listed per anomaly. */
  public static final int ROOT_CAUSES = 3;

  private final TallyStore store;

  CostInsights(TallyStore store) {
    this.store = requireNonNull(store, "store is null");
  }

  /** The default dimensions as columns. */
  public static List<CostColumn> defaultDimensions() {
    return DEFAULT_DIMENSIONS.stream().map(d -> CostColumn.parse("by", d)).toList();
  }

  /**
   * What explains the change between two periods: for each dimension, its values ranked by their change (top
   * {@code top}, the rest as one "others" row), each dimension's rows summing exactly to the total change.
   */
  public ReportTable explain(CostScope scope, CostPeriod base, CostPeriod compare, List<CostColumn> dimensions,
      int top) {
    if (top < 1) {
      throw TallyException.invalid(Problem.of("top", "must be at least 1", Integer.toString(top)));
    }
    ScopeSql sql = new ScopeSql(scope, false).inAny(List.of(base, compare));
    return store.read(c -> {
      Optional<String> currency = sql.currency(c);
      List<List<Object>> rows = new ArrayList<>();
      BigDecimal[] totals = null;
      for (CostColumn dim : dimensions) {
        // Ranked in SQL: a column with 100,000 values (ResourceId) sends its top values and one sum of the rest, not
        // every value to be ranked here. The order is |change| descending, then the value as shown.
        String metric = sql.metric();
        record Ranked(String value, BigDecimal base, BigDecimal compare, long rank) {}
        List<Ranked> ranked = new ArrayList<>();
        BigDecimal b = BigDecimal.ZERO;
        BigDecimal k = BigDecimal.ZERO;
        long values = 0;
        try (PreparedStatement ps = sql.prepare(c, "WITH g AS (SELECT " + dim.sql() + " AS v, coalesce(sum(" + metric
            + ") FILTER (WHERE " + sql.in(base) + "), 0) AS b, coalesce(sum(" + metric + ") FILTER (WHERE "
            + sql.in(compare) + "), 0) AS k FROM cost_charges WHERE " + sql.where() + " GROUP BY ALL), r AS (SELECT v,"
            + " b, k, row_number() OVER (ORDER BY abs(k - b) DESC, coalesce(v, "
            + Sql.literal(CostReports.NULL_VALUE) + ")) AS rn FROM g) SELECT v, b, k, rn, 1 FROM r WHERE rn <= "
            + top + " UNION ALL SELECT NULL, coalesce(sum(b), 0), coalesce(sum(k), 0), NULL, count(*) FROM r WHERE rn > "
            + top + " ORDER BY 4 NULLS LAST");
            ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long rank = rs.getLong(4); // 0 (SQL null) for the sum of the values after the top ones
            long count = rs.getLong(5);
            if (count == 0) {
              continue;
            }
            ranked.add(new Ranked(rank == 0 ? "(others: " + count + ")" : CostReports.value(rs.getString(1)),
                rs.getBigDecimal(2), rs.getBigDecimal(3), rank));
            b = b.add(rs.getBigDecimal(2));
            k = k.add(rs.getBigDecimal(3));
            values += count;
          }
        }
        if (totals == null) {
          totals = new BigDecimal[] {b, k};
          BigDecimal change = k.subtract(b);
          rows.add(CostReports.row("(total)", null, "", b, k, change, totals[0].signum() == 0 && change.signum() == 0
              ? null : new BigDecimal("100.00")));
        } else if (b.compareTo(totals[0]) != 0 || k.compareTo(totals[1]) != 0) {
          throw new IllegalStateException("the values of " + dim.label() + " add up to " + b + " -> " + k
              + ", not to the totals " + totals[0] + " -> " + totals[1]);
        }
        if (values == 1) {
          // One value (every charge is Usage, say) is the total again and explains nothing.
          continue;
        }
        BigDecimal totalChange = totals[1].subtract(totals[0]);
        for (Ranked r : ranked) {
          BigDecimal change = r.compare().subtract(r.base());
          rows.add(CostReports.row(dim.label(), r.rank() == 0 ? null : BigDecimal.valueOf(r.rank()), r.value(),
              r.base(), r.compare(), change, totalChange.signum() == 0 ? null
                  : Percentages.share(change, totalChange).orElse(null)));
        }
      }
      return CostReports.table("explain", currency, List.of("dimension", "rank", "value", "base", "compare",
          "change", "percent_of_change"), rows, List.of("base " + base + ", compare " + compare + ", charges "
          + scope.charges().label(), "within each dimension the changes sum exactly to the total change; values of "
          + "different dimensions overlap and are not to be added across; a dimension with one value is left out",
          CostReports.ROUNDING_NOTE));
    });
  }

  /**
   * Anomalies of the total (or of each value of {@code by}) between the scope's from and to, each with its root
   * causes among {@code causes}.
   */
  public ReportTable anomalies(CostScope scope, Optional<CostColumn> by, AnomalySettings settings,
      List<CostColumn> causes) {
    requireNonNull(settings, "settings is null");
    // History before 'from' is what the model learns from, so only the upper bound limits the query.
    CostScope history = scope.withDays(Optional.empty(), scope.to());
    ScopeSql sql = new ScopeSql(history, true);
    return store.read(c -> {
      Optional<String> currency = sql.currency(c);
      Map<String, TreeMap<LocalDate, BigDecimal>> series = new TreeMap<>();
      LocalDate last = null;
      try (PreparedStatement ps = sql.prepare(c, "SELECT " + sql.day() + " AS d, " + by.map(CostColumn::sql)
          .orElse("''") + " AS g, sum(" + sql.metric() + ") FROM cost_charges WHERE " + sql.where()
          + " GROUP BY ALL");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          LocalDate d = rs.getObject(1, LocalDate.class);
          String g = by.isPresent() ? CostReports.value(rs.getString(2)) : "total";
          series.computeIfAbsent(g, k -> new TreeMap<>()).put(d, rs.getBigDecimal(3));
          last = last == null || d.isAfter(last) ? d : last;
        }
      }
      record Found(String series, Assessment a) {}
      List<Found> found = new ArrayList<>();
      for (Map.Entry<String, TreeMap<LocalDate, BigDecimal>> e : series.entrySet()) {
        LocalDate first = e.getValue().firstKey();
        List<BigDecimal> values = new ArrayList<>();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
          values.add(e.getValue().getOrDefault(d, BigDecimal.ZERO));
        }
        for (Assessment a : AnomalyDetector.assess(first, values, settings)) {
          if (a.anomaly() && scope.from().map(f -> !a.day().isBefore(f)).orElse(true)) {
            found.add(new Found(e.getKey(), a));
          }
        }
      }
      found.sort(Comparator.comparing((Found f) -> f.a().day()).thenComparing(f -> f.a().impact().abs(),
          Comparator.reverseOrder()));
      List<CostColumn> dims = causes.stream().filter(d -> by.map(b -> !b.label().equals(d.label())).orElse(true))
          .toList();
      List<Flagged> flagged = found.stream().map(f -> new Flagged(by.isPresent() && !f.series()
          .equals(CostReports.NULL_VALUE) ? f.series() : null, f.a())).toList();
      List<List<Map<String, Object>>> rootCauses = rootCauses(c, scope, by, flagged, dims);
      List<List<Object>> rows = new ArrayList<>();
      for (int i = 0; i < found.size(); i++) {
        Found f = found.get(i);
        Assessment a = f.a();
        rows.add(CostReports.row(by.map(b -> b.label() + "=" + f.series()).orElse("total"), a.day().toString(),
            a.actual(), a.expected(), a.lower(), a.upper(), a.impact(), a.impactPercent().orElse(null), a.score(),
            rootCauses.get(i)));
      }
      List<String> notes = new ArrayList<>(List.of("model: trend times weekly pattern, learned from up to "
          + settings.windowDays() + " days before each day; a series is judged from " + settings.minHistoryDays()
          + " days after its first charge; band = expected ± " + settings.band() + " σ",
          "thresholds: |impact| ≥ " + settings.minImpact() + " and |impact_percent| ≥ " + settings.minImpactPercent(),
          "root causes: each value's actual minus its share (over the " + ROOT_CAUSE_HISTORY_DAYS
              + " days before) of the expected amount; within a dimension they sum to the impact",
          "days in " + CostReportTables.zoneName(scope.zone()) + ", charges " + scope.charges().label()));
      return CostReports.table("anomalies", currency, List.of("series", "day", "actual", "expected", "lower", "upper",
          "impact", "impact_percent", "score", "root_causes"), rows, notes);
    });
  }

  /** An anomaly whose root causes are sought: its series' value of the by-column (null: the total or a null value). */
  private record Flagged(String series, Assessment a) {}

  /**
   * Anomalies whose root causes one statement looks up together; bounds the statement's size (about 40 bytes an
   * anomaly). Each statement reads the scope's charges once, so fewer, larger batches are faster: 3,935 anomalies over
   * 10M charges took 20 s in batches of 500 and 7 s in one (BENCHMARKS.md).
   */
  private static final int ROOT_CAUSE_BATCH = 10_000;

  /**
   * The root causes of each flagged anomaly, in order. One query per column for a whole batch of anomalies (a join on
   * the anomaly's series and its {@value #ROOT_CAUSE_HISTORY_DAYS} days), not one per anomaly and column: a year of
   * 1,000 series with 4,000 anomalies took 20,000 queries and eight minutes that way.
   */
  private static List<List<Map<String, Object>>> rootCauses(Connection c, CostScope scope, Optional<CostColumn> by,
      List<Flagged> flagged, List<CostColumn> dims) throws SQLException {
    List<List<Contributions.Observed>> observed = new ArrayList<>();
    flagged.forEach(f -> observed.add(new ArrayList<>()));
    if (!flagged.isEmpty() && !dims.isEmpty()) {
      LocalDate first = flagged.stream().map(f -> f.a().day()).min(Comparator.naturalOrder()).orElseThrow();
      LocalDate last = flagged.stream().map(f -> f.a().day()).max(Comparator.naturalOrder()).orElseThrow();
      ScopeSql sql = new ScopeSql(scope.withDays(Optional.of(first.minusDays(ROOT_CAUSE_HISTORY_DAYS)),
          Optional.of(last.plusDays(1))), true);
      String day = sql.day();
      for (int from = 0; from < flagged.size(); from += ROOT_CAUSE_BATCH) {
        StringBuilder values = new StringBuilder();
        for (int k = from; k < Math.min(flagged.size(), from + ROOT_CAUSE_BATCH); k++) {
          Flagged f = flagged.get(k);
          values.append(k == from ? "" : ", ").append('(').append(k).append(", ")
              .append(f.series() == null ? "CAST(NULL AS VARCHAR)" : Sql.literal(f.series()))
              .append(", DATE '").append(f.a().day()).append("')");
        }
        for (CostColumn dim : dims) {
          // Each anomaly's day and the days before it that set each value's share of the expected amount.
          try (PreparedStatement ps = sql.prepare(c, "SELECT a.k, " + dim.sql() + ", coalesce(sum(" + sql.metric()
              + ") FILTER (WHERE " + day + " = a.d), 0), coalesce(sum(" + sql.metric() + ") FILTER (WHERE " + day
              + " < a.d), 0) FROM cost_charges JOIN (VALUES " + values + ") AS a(k, g, d) ON "
              + by.map(b -> b.sql() + " IS NOT DISTINCT FROM a.g AND ").orElse("") + day + " BETWEEN a.d - "
              + ROOT_CAUSE_HISTORY_DAYS + " AND a.d WHERE " + sql.where() + " GROUP BY a.k, 2");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              observed.get(rs.getInt(1)).add(new Contributions.Observed(dim.label(),
                  CostReports.value(rs.getString(2)), rs.getBigDecimal(3), rs.getBigDecimal(4)));
            }
          }
        }
      }
    }
    List<List<Map<String, Object>>> out = new ArrayList<>();
    for (int k = 0; k < flagged.size(); k++) {
      out.add(rank(flagged.get(k).a(), dims, observed.get(k)));
    }
    name(c, scope, out);
    return out;
  }

  /**
   * The column that names the values of an id column, where the bill has one: an id alone ({@code sub-research}) says
   * little to a reader, "sub-research (Research)" says which account.
   */
  static final Map<String, String> NAME_COLUMNS = Map.of("SubAccountId", "SubAccountName", "SkuId", "ServiceName",
      "ResourceId", "ResourceName", "BillingAccountId", "BillingAccountName", "RegionId", "RegionName",
      "CommitmentDiscountId", "CommitmentDiscountName");

  /**
   * Puts each root cause's name beside its value ({@code name}), looked up in the tenant's charges, one query per id
   * column for all the causes shown; a value with no name in the bill gets none. Where charges give one id several
   * names (a renamed account), the alphabetically first is shown.
   */
  private static void name(Connection c, CostScope scope, List<List<Map<String, Object>>> causes)
      throws SQLException {
    Map<String, java.util.Set<String>> wanted = new LinkedHashMap<>();
    for (List<Map<String, Object>> list : causes) {
      for (Map<String, Object> m : list) {
        String dim = (String) m.get("dimension");
        String value = (String) m.get("value");
        if (NAME_COLUMNS.containsKey(dim) && !CostReports.NULL_VALUE.equals(value)) {
          wanted.computeIfAbsent(dim, d -> new java.util.TreeSet<>()).add(value);
        }
      }
    }
    Map<String, Map<String, String>> names = new HashMap<>();
    for (Map.Entry<String, java.util.Set<String>> e : wanted.entrySet()) {
      String id = Sql.identifier(e.getKey());
      String name = Sql.identifier(NAME_COLUMNS.get(e.getKey()));
      String in = e.getValue().stream().map(Sql::literal).collect(java.util.stream.Collectors.joining(", "));
      try (PreparedStatement ps = c.prepareStatement("SELECT " + id + ", min(" + name + ") FROM cost_charges WHERE "
          + "tenant = ? AND " + id + " IN (" + in + ") AND " + name + " IS NOT NULL AND " + name + " <> " + id
          + " GROUP BY 1")) {
        ps.setString(1, scope.tenant());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            names.computeIfAbsent(e.getKey(), k -> new HashMap<>()).put(rs.getString(1), rs.getString(2));
          }
        }
      }
    }
    for (List<Map<String, Object>> list : causes) {
      for (int i = 0; i < list.size(); i++) {
        Map<String, Object> m = list.get(i);
        String found = names.getOrDefault((String) m.get("dimension"), Map.of()).get((String) m.get("value"));
        if (found != null) {
          // The name goes right after the value, so that tables read "value=sub-research name=Research".
          Map<String, Object> named = new LinkedHashMap<>();
          m.forEach((k, v) -> {
            named.put(k, v);
            if (k.equals("value")) {
              named.put("name", found);
            }
          });
          list.set(i, named);
        }
      }
    }
  }

  /** The largest contributions to an anomaly's impact, in its direction, from the values observed around it. */
  private static List<Map<String, Object>> rank(Assessment a, List<CostColumn> dims,
      List<Contributions.Observed> observed) {
    // A column with one value (every charge is Usage, say) "explains" the whole impact and says nothing: left out.
    Map<String, Long> valuesPerDimension = new HashMap<>();
    observed.forEach(o -> valuesPerDimension.merge(o.dimension(), 1L, Long::sum));
    List<String> order = dims.stream().map(CostColumn::label).toList();
    List<Contribution> ranked = new ArrayList<>(Contributions.againstExpected(a.expected(), observed));
    // Equal contributions (one service in one account in one region) are listed in the order the columns were asked.
    ranked.sort(Comparator.comparing((Contribution ct) -> ct.change().abs()).reversed()
        .thenComparing(ct -> order.indexOf(ct.dimension())).thenComparing(Contribution::value));
    List<Map<String, Object>> out = new ArrayList<>();
    for (Contribution ct : ranked) {
      if (valuesPerDimension.get(ct.dimension()) < 2) {
        continue;
      }
      if (out.size() == ROOT_CAUSES) {
        break;
      }
      if (ct.change().signum() == a.impact().signum()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dimension", ct.dimension());
        m.put("value", ct.value());
        m.put("contribution", ct.change().setScale(2, RoundingMode.HALF_UP));
        m.put("percent", ct.percent().orElse(null));
        out.add(m);
      }
    }
    return out;
  }

  /**
   * The forecast of the month, quarter or year containing {@code asOf}, from the daily totals before it.
   *
   * @throws TallyException (invalid input) with the reason when the history is too short
   */
  public ReportTable forecast(CostScope scope, Horizon horizon, LocalDate asOf) {
    ScopeSql sql = new ScopeSql(scope.withDays(Optional.empty(), Optional.of(asOf)), true);
    return store.read(c -> {
      Optional<String> currency = sql.currency(c);
      Forecast f = forecast(c, sql, horizon, asOf);
      return CostReports.table("forecast", currency, List.of("period", "as_of", "actual", "forecast_remaining",
          "forecast_total", "lower_80", "upper_80", "history_days"), List.of(CostReports.row(f.period().label(),
          f.asOf().toString(), f.actual(), f.remaining(), f.total(), f.lower(), f.upper(),
          BigDecimal.valueOf(f.historyDays()))), List.of("actual is the spend from " + f.period().start() + " to the "
          + "day before " + asOf + "; the rest is forecast by the anomaly model's trend and weekly pattern, with an "
          + "80% interval", "days in " + CostReportTables.zoneName(scope.zone()) + ", charges "
          + scope.charges().label()));
    });
  }

  /** The daily totals before {@code asOf} of a scope, from its first day with a charge. */
  static Forecast forecast(Connection c, ScopeSql sql, Horizon horizon, LocalDate asOf) throws SQLException {
    TreeMap<LocalDate, BigDecimal> daily = CostBands.daily(c, sql);
    if (daily.isEmpty()) {
      throw TallyException.invalid("cannot forecast from " + asOf, List.of(Problem.of("history",
          "there are no charges before " + asOf + " to forecast from")));
    }
    List<BigDecimal> values = new ArrayList<>();
    for (LocalDate d = daily.firstKey(); d.isBefore(asOf); d = d.plusDays(1)) {
      values.add(daily.getOrDefault(d, BigDecimal.ZERO));
    }
    return Forecaster.forecast(daily.firstKey(), values, asOf, horizon);
  }
}
