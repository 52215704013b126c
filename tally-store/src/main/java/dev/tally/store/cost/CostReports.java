package dev.tally.store.cost;

import static java.util.Objects.requireNonNull;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.cost.CostPeriod;
import dev.tally.core.cost.Growth;
import dev.tally.core.cost.Percentages;
import dev.tally.core.cost.ReportTable;
import dev.tally.store.TallyStore;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The cost reports that aggregate: totals and shares, growth between periods, time series, and peaks. Each is one or
 * two SQL aggregations over {@code cost_charges}; Java only ranks, cuts to top-N and does the percent arithmetic of
 * {@link Percentages}. The model-based reports (explain, anomalies, forecast) are in {@link CostInsights}.
 *
 * <p>Every report refuses to add money across billing currencies, and sums usage only unless told otherwise (see
 * {@link ChargeScope}); the totals report shows non-usage charges in their own section.
 */
public final class CostReports {
  static final String ROUNDING_NOTE = "percentages are rounded half-up to 2 places, each on its own, so shares sum "
      + "to 100 only within 0.005 per row";
  static final String NULL_VALUE = "(none)";

  private final TallyStore store;

  CostReports(TallyStore store) {
    this.store = requireNonNull(store, "store is null");
  }

  /** One group's sums. */
  private record Sums(BigDecimal cost, BigDecimal quantity, long units, String unit) {}

  /**
   * Totals and shares by a column, usage first (top {@code top} groups, the rest as one "others" row, then the usage
   * total), then each non-usage charge category by the same column, then the grand total. The scope's
   * {@link ChargeScope} picks the sections: {@code ALL} shows both, apart.
   */
  public ReportTable totals(CostScope scope, CostColumn by, int top) {
    if (top < 1) {
      throw TallyException.invalid(Problem.of("--top", "must be at least 1", Integer.toString(top)));
    }
    CostScope all = scope.withCharges(ChargeScope.ALL);
    ScopeSql sql = new ScopeSql(all, true);
    return store.read(c -> {
      Optional<String> currency = sql.currency(c);
      Map<String, Map<String, Sums>> byCategory = new TreeMap<>(Comparator.comparingInt(CostReports::categoryOrder));
      try (PreparedStatement ps = sql.prepare(c, "SELECT \"ChargeCategory\", " + by.sql() + " AS g, sum("
          + sql.metric() + "), sum(\"ConsumedQuantity\"), count(DISTINCT \"ConsumedUnit\"), min(\"ConsumedUnit\")"
          + " FROM cost_charges WHERE " + sql.where() + " GROUP BY ALL");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          byCategory.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(value(rs.getString(2)),
              new Sums(rs.getBigDecimal(3), rs.getBigDecimal(4), rs.getLong(5), rs.getString(6)));
        }
      }
      List<List<Object>> rows = new ArrayList<>();
      BigDecimal grand = BigDecimal.ZERO;
      boolean wantUsage = scope.charges() != ChargeScope.NON_USAGE;
      boolean wantOther = scope.charges() != ChargeScope.USAGE;
      for (Map.Entry<String, Map<String, Sums>> e : byCategory.entrySet()) {
        boolean usage = e.getKey().equals("Usage");
        if (usage && !wantUsage || !usage && !wantOther) {
          continue;
        }
        grand = grand.add(section(rows, usage ? "usage" : "non-usage", e.getKey(), e.getValue(), top));
      }
      rows.add(row("all", "", "(grand total)", grand, null, null, null));
      List<String> notes = new ArrayList<>(List.of(ROUNDING_NOTE,
          "shares are of their own section: usage groups of the usage total, each non-usage category of its own total",
          "cost is " + scope.metric().column() + "; quantity is summed only where a group has one ConsumedUnit"));
      // Grouping by ChargeCategory would repeat the section's own ChargeCategory column (a CSV header twice, JSON keys
      // that collide and lose whether a total row is Tax or Credit): the group column is then named apart.
      String group = by.label().equals("ChargeCategory") ? "group_ChargeCategory" : by.label();
      if (!group.equals(by.label())) {
        notes.add("the groups are in group_ChargeCategory; ChargeCategory is the section's category");
      }
      return table("totals", currency, List.of("section", "ChargeCategory", group, "cost", "share_percent",
          "quantity", "unit"), rows, notes);
    });
  }

  private static BigDecimal section(List<List<Object>> rows, String section, String category, Map<String, Sums> groups,
      int top) {
    List<Map.Entry<String, Sums>> sorted = new ArrayList<>(groups.entrySet());
    sorted.sort(Comparator.comparing((Map.Entry<String, Sums> e) -> e.getValue().cost()).reversed()
        .thenComparing(Map.Entry::getKey));
    BigDecimal total = sorted.stream().map(e -> e.getValue().cost()).reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal others = BigDecimal.ZERO;
    int rest = 0;
    for (int i = 0; i < sorted.size(); i++) {
      Sums s = sorted.get(i).getValue();
      if (i < top) {
        boolean oneUnit = s.units() == 1;
        rows.add(row(section, category, sorted.get(i).getKey(), s.cost(), Percentages.share(s.cost(), total)
            .orElse(null), oneUnit ? s.quantity() : null, oneUnit ? s.unit() : s.units() > 1 ? "(mixed)" : null));
      } else {
        others = others.add(s.cost());
        rest++;
      }
    }
    if (rest > 0) {
      rows.add(row(section, category, "(others: " + rest + ")", others, Percentages.share(others, total).orElse(null),
          null, null));
    }
    rows.add(row(section, category, "(total)", total, total.signum() == 0 ? null : new BigDecimal("100.00"), null,
        null));
    return total;
  }

  /** Usage first, then the other FOCUS categories in FOCUS's order. */
  private static int categoryOrder(String category) {
    int i = FocusColumn.CHARGE_CATEGORIES.indexOf(category);
    return i < 0 ? FocusColumn.CHARGE_CATEGORIES.size() : i;
  }

  /**
   * Growth between two periods by a column: each group's value in both, the change, the percent change (none for a
   * group absent from the base period: status NEW), sorted by the size of the change; then the total.
   */
  public ReportTable growth(CostScope scope, CostColumn by, CostPeriod base, CostPeriod compare) {
    ScopeSql sql = new ScopeSql(scope, false).inAny(List.of(base, compare));
    return store.read(c -> {
      Optional<String> currency = sql.currency(c);
      Map<String, BigDecimal[]> groups = new LinkedHashMap<>();
      try (PreparedStatement ps = sql.prepare(c, "SELECT " + by.sql() + " AS g, coalesce(sum(" + sql.metric()
          + ") FILTER (WHERE " + sql.in(base) + "), 0), coalesce(sum(" + sql.metric() + ") FILTER (WHERE "
          + sql.in(compare) + "), 0) FROM cost_charges WHERE " + sql.where() + " GROUP BY ALL");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          groups.put(value(rs.getString(1)), new BigDecimal[] {rs.getBigDecimal(2), rs.getBigDecimal(3)});
        }
      }
      List<Map.Entry<String, Growth>> list = new ArrayList<>();
      BigDecimal b = BigDecimal.ZERO;
      BigDecimal k = BigDecimal.ZERO;
      for (Map.Entry<String, BigDecimal[]> e : groups.entrySet()) {
        list.add(Map.entry(e.getKey(), Growth.of(e.getValue()[0], e.getValue()[1])));
        b = b.add(e.getValue()[0]);
        k = k.add(e.getValue()[1]);
      }
      list.sort(Comparator.comparing((Map.Entry<String, Growth> e) -> e.getValue().change().abs()).reversed()
          .thenComparing(Map.Entry::getKey));
      List<List<Object>> rows = new ArrayList<>();
      for (Map.Entry<String, Growth> e : list) {
        rows.add(growthRow(e.getKey(), e.getValue()));
      }
      rows.add(growthRow("(total)", Growth.of(b, k)));
      return table("growth", currency, List.of(by.label(), "base", "compare", "change", "change_percent", "status"),
          rows, List.of("base " + base + ", compare " + compare + " (days in " + ScopeSql.zoneName(scope.zone())
              + ", charges " + scope.charges().label() + ")", ROUNDING_NOTE,
              "change_percent is of |base|; a group with nothing in the base period is NEW and has no percentage"));
    });
  }

  private static List<Object> growthRow(String group, Growth g) {
    return row(group, g.base(), g.compare(), g.change(), g.percent().orElse(null), g.status().name());
  }

  /**
   * The cost per day, ISO week or month (by local start day in the scope's zone), optionally per value of a column.
   * Without a column, periods with no charges between the first and the last are listed with zero.
   */
  public ReportTable series(CostScope scope, String window, Optional<CostColumn> by) {
    ScopeSql sql = new ScopeSql(scope, true);
    return store.read(c -> {
      Optional<String> currency = sql.currency(c);
      List<List<Object>> rows = new ArrayList<>();
      String group = by.map(CostColumn::sql).orElse("''");
      Map<LocalDate, BigDecimal> total = new TreeMap<>();
      try (PreparedStatement ps = sql.prepare(c, "SELECT " + sql.bucket(window) + " AS p, " + group + " AS g, sum("
          + sql.metric() + ") FROM cost_charges WHERE " + sql.where() + " GROUP BY ALL ORDER BY p, g NULLS FIRST");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          LocalDate p = rs.getObject(1, LocalDate.class);
          if (by.isPresent()) {
            rows.add(row(p.toString(), value(rs.getString(2)), rs.getBigDecimal(3)));
          } else {
            total.put(p, rs.getBigDecimal(3));
          }
        }
      }
      if (by.isEmpty()) {
        dense(total, window).forEach((p, v) -> rows.add(row(p.toString(), v)));
      }
      List<String> columns = new ArrayList<>(List.of("period_start"));
      by.ifPresent(b -> columns.add(b.label()));
      columns.add("cost");
      return table("series", currency, columns, rows, List.of("periods are " + window + "s starting on the day shown,"
          + " in " + ScopeSql.zoneName(scope.zone()) + (window.equals("week") ? " (ISO weeks, Monday first)" : "")
          + "; charges " + scope.charges().label()));
    });
  }

  /** The top {@code top} periods by cost, and the largest increase between consecutive periods. */
  public ReportTable peaks(CostScope scope, String window, int top) {
    if (top < 1) {
      throw TallyException.invalid(Problem.of("--top", "must be at least 1", Integer.toString(top)));
    }
    ReportTable series = series(scope, window, Optional.empty());
    List<Map.Entry<LocalDate, BigDecimal>> points = new ArrayList<>();
    for (Map<String, Object> r : series.records()) {
      points.add(Map.entry(LocalDate.parse((String) r.get("period_start")), (BigDecimal) r.get("cost")));
    }
    List<Map.Entry<LocalDate, BigDecimal>> ranked = new ArrayList<>(points);
    ranked.sort(Map.Entry.<LocalDate, BigDecimal>comparingByValue().reversed().thenComparing(Map.Entry::getKey));
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < Math.min(top, ranked.size()); i++) {
      rows.add(row("peak", BigDecimal.valueOf(i + 1L), ranked.get(i).getKey().toString(), ranked.get(i).getValue(),
          null, null, null, null));
    }
    int jump = -1;
    for (int i = 1; i < points.size(); i++) {
      BigDecimal change = points.get(i).getValue().subtract(points.get(i - 1).getValue());
      if (change.signum() > 0 && (jump < 0 || change.compareTo(
          points.get(jump).getValue().subtract(points.get(jump - 1).getValue())) > 0)) {
        jump = i;
      }
    }
    List<String> notes = new ArrayList<>(series.notes());
    if (jump > 0) {
      Growth g = Growth.of(points.get(jump - 1).getValue(), points.get(jump).getValue());
      rows.add(row("largest jump", BigDecimal.ONE, points.get(jump).getKey().toString(), g.compare(),
          points.get(jump - 1).getKey().toString(), g.base(), g.change(), g.percent().orElse(null)));
    } else {
      notes.add("no period cost more than the one before it, so there is no jump");
    }
    notes.add(ROUNDING_NOTE);
    return table("peaks", series.currency(), List.of("kind", "rank", "period_start", "cost", "previous_period",
        "previous_cost", "change", "change_percent"), rows, notes);
  }

  static String value(String v) {
    return v == null ? NULL_VALUE : v;
  }

  static List<Object> row(Object... cells) {
    return java.util.Arrays.asList(cells);
  }

  static ReportTable table(String name, Optional<String> currency, List<String> columns, List<List<Object>> rows,
      List<String> notes) {
    return new ReportTable(name, currency, columns, rows, notes);
  }

  /** Every period from the first to the last key, missing ones as zero. */
  static Map<LocalDate, BigDecimal> dense(Map<LocalDate, BigDecimal> sparse, String window) {
    Map<LocalDate, BigDecimal> out = new TreeMap<>();
    if (sparse.isEmpty()) {
      return out;
    }
    LocalDate last = ((TreeMap<LocalDate, BigDecimal>) sparse).lastKey();
    for (LocalDate d = ((TreeMap<LocalDate, BigDecimal>) sparse).firstKey(); !d.isAfter(last); d = next(d, window)) {
      out.put(d, sparse.getOrDefault(d, BigDecimal.ZERO));
    }
    return out;
  }

  private static LocalDate next(LocalDate d, String window) {
    return switch (window) {
      case "day" -> d.plusDays(1);
      case "week" -> d.plusWeeks(1);
      default -> d.plusMonths(1);
    };
  }
}
