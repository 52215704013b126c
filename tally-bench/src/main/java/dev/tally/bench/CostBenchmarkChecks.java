package dev.tally.bench;

import dev.tally.core.cost.AnomalyDetector;
import dev.tally.core.cost.AnomalySettings;
import dev.tally.core.cost.Assessment;
import dev.tally.core.cost.ReportTable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The checks of {@link CostBenchmark}: each compares a report Tally produced with the rows of the hand-written SQL,
 * figure by figure (money as exact decimals, percentages to their rounding), and throws {@link Mismatch} at the first
 * difference. They encode what each report means (ranking, top N and "others", dense series, jumps), not how Tally
 * computes it, so a bug in either side shows up.
 */
final class CostBenchmarkChecks {
  /** What the reports show for a null value. */
  private static final String NONE = "(none)";

  private CostBenchmarkChecks() {}

  /** Tally and the hand-written SQL disagree: the benchmark's figures would be meaningless. */
  static final class Mismatch extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    Mismatch(String message) {
      super("MISMATCH between Tally and the hand-written SQL: " + message);
    }
  }

  /** Compares a report with the hand-written rows; returns how many figures agreed. */
  @FunctionalInterface
  interface Check {
    int check(ReportTable tally, List<Object[]> ref);
  }

  /** Counts agreeing figures of one report and names the report in a mismatch. */
  private static final class Comparer {
    private final String report;
    private int agreed;

    Comparer(String report) {
      this.report = report;
    }

    void money(String what, Object tally, Object ref) {
      BigDecimal t = dec(tally);
      BigDecimal r = dec(ref);
      if (t == null ? r != null : r == null || t.compareTo(r) != 0) {
        throw new Mismatch(report + ": " + what + ": Tally " + plain(t) + ", by hand " + plain(r));
      }
      agreed++;
    }

    /** A percentage Tally rounded half-up to 2 places against the hand-written quotient. */
    void percent(String what, Object tally, Object ref) {
      BigDecimal t = dec(tally);
      BigDecimal r = dec(ref);
      if (t == null || r == null ? t != r : t.subtract(r).abs().compareTo(new BigDecimal("0.00501")) > 0) {
        throw new Mismatch(report + ": " + what + ": Tally " + plain(t) + "%, by hand " + plain(r) + "%");
      }
      agreed++;
    }

    void same(String what, Object tally, Object ref) {
      if (!String.valueOf(tally).equals(String.valueOf(ref))) {
        throw new Mismatch(report + ": " + what + ": Tally " + tally + ", by hand " + ref);
      }
      agreed++;
    }
  }

  /** Totals and shares by a column, each charge category ranked by cost, top N, others, totals, grand total. */
  static int totals(ReportTable tally, List<Object[]> ref, String label, int top) {
    Comparer cmp = new Comparer("totals --by " + label);
    Map<String, List<Object[]>> byCategory = new HashMap<>();
    BigDecimal grand = BigDecimal.ZERO;
    for (Object[] r : ref) {
      byCategory.computeIfAbsent((String) r[0], k -> new ArrayList<>()).add(r);
      grand = grand.add(dec(r[2]));
    }
    // Ranked as a reader expects: costliest first, ties by name.
    byCategory.values().forEach(l -> l.sort(Comparator.comparing((Object[] r) -> dec(r[2])).reversed()
        .thenComparing(r -> text(r[1]))));
    Map<String, Integer> listed = new HashMap<>();
    Set<String> sections = new TreeSet<>();
    for (Map<String, Object> row : tally.records()) {
      if (row.get("section").equals("all")) {
        cmp.money("grand total", row.get("cost"), grand);
        continue;
      }
      String category = (String) row.get("ChargeCategory");
      List<Object[]> refs = byCategory.get(category);
      if (refs == null) {
        throw new Mismatch("totals --by " + label + ": category " + category + " is not in the hand-written result");
      }
      String group = (String) row.get(label);
      if (group.equals("(total)")) {
        cmp.money(category + " total", row.get("cost"), sum(refs, 2));
        cmp.same(category + " groups listed", listed.getOrDefault(category, 0), Math.min(top, refs.size()));
        sections.add(category);
      } else if (group.startsWith("(others: ")) {
        List<Object[]> rest = refs.subList(Math.min(top, refs.size()), refs.size());
        cmp.money(category + " others", row.get("cost"), sum(rest, 2));
        cmp.same(category + " others counted", group, "(others: " + rest.size() + ")");
      } else {
        int i = listed.merge(category, 1, Integer::sum) - 1;
        if (i >= refs.size()) {
          throw new Mismatch("totals --by " + label + ": " + category + " lists more groups than there are");
        }
        Object[] r = refs.get(i);
        cmp.same(category + " rank " + (i + 1), group, text(r[1]));
        cmp.money(category + " " + group + " cost", row.get("cost"), r[2]);
        cmp.percent(category + " " + group + " share", row.get("share_percent"), r[3]);
        cmp.money(category + " " + group + " quantity", row.get("quantity"), r[4]);
      }
    }
    cmp.same("charge categories", sections, new TreeSet<>(byCategory.keySet()));
    return cmp.agreed;
  }

  /** Growth by a column: every group's base and compare amounts, and the totals. */
  static int growth(ReportTable tally, List<Object[]> ref, String label) {
    Comparer cmp = new Comparer("growth --by " + label);
    Map<String, Object[]> byGroup = new HashMap<>();
    ref.forEach(r -> byGroup.put(text(r[0]), r));
    int groups = 0;
    for (Map<String, Object> row : tally.records()) {
      String group = (String) row.get(label);
      if (group.equals("(total)")) {
        cmp.money("total base", row.get("base"), sum(ref, 1));
        cmp.money("total compare", row.get("compare"), sum(ref, 2));
        continue;
      }
      Object[] r = byGroup.get(group);
      if (r == null) {
        throw new Mismatch("growth --by " + label + ": group " + group + " is not in the hand-written result");
      }
      cmp.money(group + " base", row.get("base"), r[1]);
      cmp.money(group + " compare", row.get("compare"), r[2]);
      groups++;
    }
    cmp.same("groups", groups, ref.size());
    return cmp.agreed;
  }

  /** A series: every period the hand-written SQL has, equal; any other period Tally lists (filling gaps) is zero. */
  static int series(ReportTable tally, List<Object[]> ref) {
    Comparer cmp = new Comparer("series");
    Map<String, Object> byPeriod = new HashMap<>();
    ref.forEach(r -> byPeriod.put(day(r[0]), r[1]));
    int matched = 0;
    for (Map<String, Object> row : tally.records()) {
      String p = (String) row.get("period_start");
      Object r = byPeriod.get(p);
      if (r == null) {
        cmp.money(p + " (no charges)", row.get("cost"), BigDecimal.ZERO);
      } else {
        cmp.money(p, row.get("cost"), r);
        matched++;
      }
    }
    cmp.same("periods", matched, ref.size());
    return cmp.agreed;
  }

  /**
   * Peaks: the top periods in order with their cost, and the largest jump's period and change. The hand-written rows
   * are (week, cost, jump, peak rank, jump rank).
   */
  static int peaks(ReportTable tally, List<Object[]> ref, int top) {
    Comparer cmp = new Comparer("peaks");
    List<Object[]> peaks = ref.stream().filter(r -> ((Number) r[3]).longValue() <= top)
        .sorted(Comparator.comparing((Object[] r) -> ((Number) r[3]).longValue())).toList();
    List<Object[]> jumps = ref.stream().filter(r -> ((Number) r[4]).longValue() == 1 && r[2] != null
        && dec(r[2]).signum() > 0).toList();
    int i = 0;
    boolean jumped = false;
    for (Map<String, Object> row : tally.records()) {
      if (row.get("kind").equals("peak")) {
        Object[] r = peaks.get(i++);
        cmp.same("peak " + i, row.get("period_start"), day(r[0]));
        cmp.money("peak " + i + " cost", row.get("cost"), r[1]);
      } else {
        Object[] r = jumps.get(0);
        cmp.same("largest jump", row.get("period_start"), day(r[0]));
        cmp.money("largest jump change", row.get("change"), r[2]);
        jumped = true;
      }
    }
    cmp.same("peaks listed", i, peaks.size());
    cmp.same("a jump", jumped, !jumps.isEmpty());
    return cmp.agreed;
  }

  /**
   * Explain: the totals, and per column its values ranked by the size of their change (ties by value), top N and the
   * rest as others; a column with a single value explains nothing and is left out.
   */
  static int explain(ReportTable tally, List<Object[]> ref, List<String> dims, int top) {
    Comparer cmp = new Comparer("explain");
    Map<String, List<Object[]>> byDim = new LinkedHashMap<>();
    dims.forEach(d -> byDim.put(d, new ArrayList<>()));
    ref.forEach(r -> byDim.get((String) r[0]).add(r));
    byDim.values().forEach(l -> l.sort(Comparator.comparing((Object[] r) -> dec(r[3]).subtract(dec(r[2])).abs())
        .reversed().thenComparing(r -> text(r[1]))));
    List<Object[]> first = byDim.get(dims.get(0));
    Map<String, Integer> listed = new HashMap<>();
    for (Map<String, Object> row : tally.records()) {
      String dim = (String) row.get("dimension");
      if (dim.equals("(total)")) {
        cmp.money("total base", row.get("base"), sum(first, 2));
        cmp.money("total compare", row.get("compare"), sum(first, 3));
        continue;
      }
      List<Object[]> refs = byDim.get(dim);
      String value = (String) row.get("value");
      if (row.get("rank") == null) {
        List<Object[]> rest = refs.subList(Math.min(top, refs.size()), refs.size());
        cmp.same(dim + " others counted", value, "(others: " + rest.size() + ")");
        cmp.money(dim + " others base", row.get("base"), sum(rest, 2));
        cmp.money(dim + " others compare", row.get("compare"), sum(rest, 3));
      } else {
        int i = listed.merge(dim, 1, Integer::sum) - 1;
        Object[] r = refs.get(i);
        cmp.same(dim + " rank " + (i + 1), value, text(r[1]));
        cmp.money(dim + " " + value + " base", row.get("base"), r[2]);
        cmp.money(dim + " " + value + " compare", row.get("compare"), r[3]);
      }
    }
    for (Map.Entry<String, List<Object[]>> e : byDim.entrySet()) {
      int values = e.getValue().size();
      cmp.same(e.getKey() + " values listed", listed.getOrDefault(e.getKey(), 0), values < 2 ? 0 : Math.min(top,
          values));
    }
    return cmp.agreed;
  }

  /** Forecast: the actual spend of the month before the as-of day, and the days of history. */
  static int forecast(ReportTable tally, List<Object[]> ref, LocalDate asOf) {
    Comparer cmp = new Comparer("forecast");
    BigDecimal actual = BigDecimal.ZERO;
    LocalDate first = null;
    for (Object[] r : ref) {
      LocalDate d = LocalDate.parse(day(r[0]));
      if (!d.isBefore(asOf.withDayOfMonth(1))) {
        actual = actual.add(dec(r[1]));
      }
      if (dec(r[1]).signum() != 0 && (first == null || d.isBefore(first))) {
        first = d;
      }
    }
    Map<String, Object> row = tally.records().get(0);
    cmp.money("actual", row.get("actual"), actual);
    cmp.money("history_days", row.get("history_days"), BigDecimal.valueOf(ChronoUnit.DAYS.between(first, asOf)));
    return cmp.agreed;
  }

  /**
   * What the anomaly check saw.
   *
   * @param series the daily series judged
   * @param days days from the first series' first day to the last day
   * @param anomalies anomalies in Tally's report (the same as the detector found on the hand-written series)
   * @param checks figures that agreed
   */
  record AnomalyCheck(int series, long days, int anomalies, int checks) {}

  /**
   * Anomalies by a column: the detector run on the hand-written daily series (each from its first day to the last day
   * of all, missing days as zero) must find exactly the days and amounts Tally's report lists.
   */
  static AnomalyCheck anomalies(ReportTable tally, List<Object[]> ref, AnomalySettings settings) {
    Map<String, TreeMap<LocalDate, BigDecimal>> series = new TreeMap<>();
    LocalDate last = null;
    LocalDate first = null;
    for (Object[] r : ref) {
      LocalDate d = LocalDate.parse(day(r[0]));
      series.computeIfAbsent(text(r[1]), k -> new TreeMap<>()).put(d, dec(r[2]));
      last = last == null || d.isAfter(last) ? d : last;
      first = first == null || d.isBefore(first) ? d : first;
    }
    Set<String> expected = new TreeSet<>();
    for (Map.Entry<String, TreeMap<LocalDate, BigDecimal>> e : series.entrySet()) {
      List<BigDecimal> values = new ArrayList<>();
      for (LocalDate d = e.getValue().firstKey(); !d.isAfter(last); d = d.plusDays(1)) {
        values.add(e.getValue().getOrDefault(d, BigDecimal.ZERO));
      }
      for (Assessment a : AnomalyDetector.assess(e.getValue().firstKey(), values, settings)) {
        if (a.anomaly()) {
          expected.add("SkuId=" + e.getKey() + " " + a.day() + " " + plain(a.actual()));
        }
      }
    }
    Set<String> got = new TreeSet<>();
    for (Map<String, Object> row : tally.records()) {
      got.add(row.get("series") + " " + row.get("day") + " " + plain(dec(row.get("actual"))));
    }
    if (!got.equals(expected)) {
      Set<String> onlyTally = new TreeSet<>(got);
      onlyTally.removeAll(expected);
      Set<String> onlyHand = new TreeSet<>(expected);
      onlyHand.removeAll(got);
      throw new Mismatch("anomalies: only in Tally's report " + head(onlyTally) + "; only from the hand-written series "
          + head(onlyHand));
    }
    long days = first == null ? 0 : ChronoUnit.DAYS.between(first, last) + 1;
    return new AnomalyCheck(series.size(), days, got.size(), got.size() + 1);
  }

  /**
   * The hand-written root-cause sums of one column, rows (sku, day, value, on the day, before): for every anomaly of
   * the report, its values' amounts on the day must add up to the anomaly's actual amount.
   */
  static int rootCauseDays(ReportTable tally, List<Object[]> ref) {
    Comparer cmp = new Comparer("anomalies (root causes by hand)");
    Map<String, BigDecimal> onTheDay = new HashMap<>();
    for (Object[] r : ref) {
      onTheDay.merge("SkuId=" + r[0] + " " + day(r[1]), dec(r[3]), BigDecimal::add);
    }
    for (Map<String, Object> row : tally.records()) {
      String key = row.get("series") + " " + row.get("day");
      cmp.money(key, row.get("actual"), onTheDay.getOrDefault(key, BigDecimal.ZERO));
    }
    return cmp.agreed;
  }

  private static String head(Set<String> s) {
    return s.size() + " " + s.stream().limit(5).toList();
  }

  private static BigDecimal sum(List<Object[]> rows, int column) {
    BigDecimal s = BigDecimal.ZERO;
    for (Object[] r : rows) {
      s = s.add(dec(r[column]));
    }
    return s;
  }

  private static BigDecimal dec(Object o) {
    if (o == null) {
      return null;
    }
    return o instanceof BigDecimal d ? d : new BigDecimal(o.toString());
  }

  private static String plain(BigDecimal d) {
    return d == null ? "null" : d.stripTrailingZeros().toPlainString();
  }

  /** A group's value as the reports show it. */
  private static String text(Object o) {
    return o == null ? NONE : o.toString();
  }

  /** A DATE (or date-time) from JDBC as {@code YYYY-MM-DD}. */
  private static String day(Object o) {
    String s = o.toString();
    return s.length() > 10 ? s.substring(0, 10) : s;
  }
}
