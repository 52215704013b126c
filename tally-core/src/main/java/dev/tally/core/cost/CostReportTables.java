package dev.tally.core.cost;

import static java.util.Objects.requireNonNull;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The aggregating cost reports (totals and shares, growth, series, peaks) made from an engine's sums. An engine (the
 * store's DuckDB, or Spark over the lake) computes only the sums per group and period; everything a reader sees beyond
 * them (the order, top-N and others, sections, totals, percentages, zero-filled periods, peaks and jumps, notes) is
 * made here, once, so that the same sums give the same report to the last character on every engine.
 */
public final class CostReportTables {
  /** FOCUS's charge categories, in the order reports show them: usage first. */
  public static final List<String> CHARGE_CATEGORIES = List.of("Usage", "Purchase", "Tax", "Credit", "Adjustment");
  /** How a group whose column is null is shown. */
  public static final String NULL_VALUE = "(none)";
  public static final String ROUNDING_NOTE = "percentages are rounded half-up to 2 places, each on its own, so shares sum "
      + "to 100 only within 0.005 per row";

  private CostReportTables() {}

  /**
   * One group's sums within a charge category, as the totals report needs them.
   *
   * @param category the FOCUS ChargeCategory
   * @param group the group's value, or null where the column is null
   * @param cost the sum of the metric
   * @param quantity the sum of ConsumedQuantity (null if none)
   * @param units how many distinct ConsumedUnit values the group has
   * @param unit one of them (the only one when {@code units} is 1)
   */
  public record TotalsSums(String category, String group, BigDecimal cost, BigDecimal quantity, long units,
      String unit) {
    public TotalsSums {
      requireNonNull(category, "category is null");
      requireNonNull(cost, "cost is null");
    }
  }

  /** One group's sums in a growth report's two periods; {@code group} null where the column is null. */
  public record GrowthSums(String group, BigDecimal base, BigDecimal compare) {
    public GrowthSums {
      requireNonNull(base, "base is null");
      requireNonNull(compare, "compare is null");
    }
  }

  /** One period's (and, with a column, one group's) sum; {@code group} null where the column is null or absent. */
  public record SeriesSums(LocalDate periodStart, String group, BigDecimal cost) {
    public SeriesSums {
      requireNonNull(periodStart, "periodStart is null");
      requireNonNull(cost, "cost is null");
    }
  }

  /**
   * The tag key a report column names ({@code tag:KEY}, or {@code Tags.KEY}), or empty for a plain column name.
   *
   * @throws TallyException (invalid input) naming {@code field} when the key is empty
   */
  public static Optional<String> tagKey(String field, String name) {
    String n = name == null ? "" : name.strip();
    String key = n.regionMatches(true, 0, "tag:", 0, 4) ? n.substring(4)
        : n.regionMatches(true, 0, "Tags.", 0, 5) ? n.substring(5) : null;
    if (key != null && key.isEmpty()) {
      throw TallyException.invalid(Problem.of(field, "names no tag key (write tag:KEY)", name));
    }
    return Optional.ofNullable(key);
  }

  /** Refuses a top-N below 1 (the problem names the field {@code top}). */
  public static void checkTop(int top) {
    if (top < 1) {
      throw TallyException.invalid(Problem.of("top", "must be at least 1", Integer.toString(top)));
    }
  }

  /** The window of a series or peaks report: day, week or month. */
  public static String checkWindow(String window) {
    if (!List.of("day", "week", "month").contains(window)) {
      throw TallyException.invalid(Problem.of("window", "must be day, week or month", window));
    }
    return window;
  }

  /** A zone as reports name it: {@code UTC}, or its IANA id. */
  public static String zoneName(ZoneId zone) {
    return zone.equals(ZoneOffset.UTC) ? "UTC" : zone.getId();
  }

  /**
   * Totals and shares by a column: usage first (top {@code top} groups, the rest as one "others" row, then the usage
   * total), then each non-usage charge category by the same column, then the grand total. {@code charges} picks the
   * sections; the sums may cover every category.
   */
  public static ReportTable totals(List<TotalsSums> sums, ChargeScope charges, String byLabel, CostMetric metric,
      int top, Optional<String> currency) {
    checkTop(top);
    Map<String, Map<String, TotalsSums>> byCategory =
        new TreeMap<>(Comparator.comparingInt(CostReportTables::categoryOrder).thenComparing(c -> c));
    for (TotalsSums s : sums) {
      byCategory.computeIfAbsent(s.category(), k -> new LinkedHashMap<>()).put(value(s.group()), s);
    }
    List<List<Object>> rows = new ArrayList<>();
    BigDecimal grand = BigDecimal.ZERO;
    boolean wantUsage = charges != ChargeScope.NON_USAGE;
    boolean wantOther = charges != ChargeScope.USAGE;
    for (Map.Entry<String, Map<String, TotalsSums>> e : byCategory.entrySet()) {
      boolean usage = e.getKey().equals("Usage");
      if (usage && !wantUsage || !usage && !wantOther) {
        continue;
      }
      grand = grand.add(section(rows, usage ? "usage" : "non-usage", e.getKey(), e.getValue(), top));
    }
    rows.add(row("all", "", "(grand total)", grand, null, null, null));
    List<String> notes = new ArrayList<>(List.of(ROUNDING_NOTE,
        "shares are of their own section: usage groups of the usage total, each non-usage category of its own total",
        "cost is " + metric.column() + "; quantity is summed only where a group has one ConsumedUnit"));
    // Grouping by ChargeCategory would repeat the section's own ChargeCategory column (a CSV header twice, JSON keys
    // that collide and lose whether a total row is Tax or Credit): the group column is then named apart.
    String group = byLabel.equals("ChargeCategory") ? "group_ChargeCategory" : byLabel;
    if (!group.equals(byLabel)) {
      notes.add("the groups are in group_ChargeCategory; ChargeCategory is the section's category");
    }
    return new ReportTable("totals", currency, List.of("section", "ChargeCategory", group, "cost", "share_percent",
        "quantity", "unit"), rows, notes);
  }

  private static BigDecimal section(List<List<Object>> rows, String section, String category,
      Map<String, TotalsSums> groups, int top) {
    List<Map.Entry<String, TotalsSums>> sorted = new ArrayList<>(groups.entrySet());
    sorted.sort(Comparator.comparing((Map.Entry<String, TotalsSums> e) -> e.getValue().cost()).reversed()
        .thenComparing(Map.Entry::getKey));
    BigDecimal total = sorted.stream().map(e -> e.getValue().cost()).reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal others = BigDecimal.ZERO;
    int rest = 0;
    for (int i = 0; i < sorted.size(); i++) {
      TotalsSums s = sorted.get(i).getValue();
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

  /** Usage first, then the other FOCUS categories in FOCUS's order, then any other. */
  private static int categoryOrder(String category) {
    int i = CHARGE_CATEGORIES.indexOf(category);
    return i < 0 ? CHARGE_CATEGORIES.size() : i;
  }

  /**
   * Growth between two periods by a column: each group's value in both, the change, the percent change (none for a
   * group absent from the base period: status NEW), sorted by the size of the change; then the total.
   */
  public static ReportTable growth(List<GrowthSums> sums, String byLabel, CostPeriod base, CostPeriod compare,
      ZoneId zone, ChargeScope charges, Optional<String> currency) {
    List<Map.Entry<String, Growth>> list = new ArrayList<>();
    BigDecimal b = BigDecimal.ZERO;
    BigDecimal k = BigDecimal.ZERO;
    for (GrowthSums s : sums) {
      list.add(Map.entry(value(s.group()), Growth.of(s.base(), s.compare())));
      b = b.add(s.base());
      k = k.add(s.compare());
    }
    list.sort(Comparator.comparing((Map.Entry<String, Growth> e) -> e.getValue().change().abs()).reversed()
        .thenComparing(Map.Entry::getKey));
    List<List<Object>> rows = new ArrayList<>();
    for (Map.Entry<String, Growth> e : list) {
      rows.add(growthRow(e.getKey(), e.getValue()));
    }
    rows.add(growthRow("(total)", Growth.of(b, k)));
    return new ReportTable("growth", currency, List.of(byLabel, "base", "compare", "change", "change_percent",
        "status"), rows, List.of("base " + base + ", compare " + compare + " (days in " + zoneName(zone)
        + ", charges " + charges.label() + ")", ROUNDING_NOTE,
        "change_percent is of |base|; a group with nothing in the base period is NEW and has no percentage"));
  }

  private static List<Object> growthRow(String group, Growth g) {
    return row(group, g.base(), g.compare(), g.change(), g.percent().orElse(null), g.status().name());
  }

  /**
   * The cost per day, ISO week or month (by local start day in the zone), optionally per value of a column, in
   * period then group order. Without a column, periods with no charges between the first and the last are listed
   * with zero.
   */
  public static ReportTable series(List<SeriesSums> sums, String window, Optional<String> byLabel, ZoneId zone,
      ChargeScope charges, Optional<String> currency) {
    checkWindow(window);
    List<List<Object>> rows = new ArrayList<>();
    if (byLabel.isPresent()) {
      List<SeriesSums> sorted = new ArrayList<>(sums);
      sorted.sort(Comparator.comparing(SeriesSums::periodStart)
          .thenComparing(SeriesSums::group, Comparator.nullsFirst(Comparator.naturalOrder())));
      for (SeriesSums s : sorted) {
        rows.add(row(s.periodStart().toString(), value(s.group()), s.cost()));
      }
    } else {
      TreeMap<LocalDate, BigDecimal> total = new TreeMap<>();
      for (SeriesSums s : sums) {
        total.merge(s.periodStart(), s.cost(), BigDecimal::add);
      }
      dense(total, window).forEach((p, v) -> rows.add(row(p.toString(), v)));
    }
    List<String> columns = new ArrayList<>(List.of("period_start"));
    byLabel.ifPresent(columns::add);
    columns.add("cost");
    return new ReportTable("series", currency, columns, rows, List.of("periods are " + window + "s starting on the day"
        + " shown, in " + zoneName(zone) + (window.equals("week") ? " (ISO weeks, Monday first)" : "") + "; charges "
        + charges.label()));
  }

  /** The top {@code top} periods of a series without a column by cost, and the largest increase between two. */
  public static ReportTable peaks(ReportTable series, int top) {
    checkTop(top);
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
    return new ReportTable("peaks", series.currency(), List.of("kind", "rank", "period_start", "cost",
        "previous_period", "previous_cost", "change", "change_percent"), rows, notes);
  }

  /** A group's value as reports show it: {@value #NULL_VALUE} for null. */
  public static String value(String v) {
    return v == null ? NULL_VALUE : v;
  }

  private static List<Object> row(Object... cells) {
    return Arrays.asList(cells);
  }

  /** Every period from the first to the last key, missing ones as zero. */
  static Map<LocalDate, BigDecimal> dense(TreeMap<LocalDate, BigDecimal> sparse, String window) {
    Map<LocalDate, BigDecimal> out = new TreeMap<>();
    if (sparse.isEmpty()) {
      return out;
    }
    for (LocalDate d = sparse.firstKey(); !d.isAfter(sparse.lastKey()); d = next(d, window)) {
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
