package dev.tally.store.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.cost.AnomalySettings;
import dev.tally.core.cost.ChargeScope;
import dev.tally.core.cost.CostPeriod;
import dev.tally.core.cost.ReportTable;
import dev.tally.core.demo.DemoCost.Charge;
import dev.tally.core.demo.DemoCost;
import dev.tally.store.TallyStore;
import dev.tally.store.TestingClock;
import dev.tally.store.cost.CostColumn;
import dev.tally.store.cost.CostInsights;
import dev.tally.store.cost.CostScope;
import dev.tally.store.cost.CostStore;
import dev.tally.store.cost.ImportOutcome;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo tenant's cost year through the real importer and reports: each known answer that {@link DemoCost} states is
 * what the report shows, equal to the test's own computation from the rows and within the stated tolerance.
 */
class DemoCostYearTest {
  static final String TENANT = "demo";
  static final List<Charge> CHARGES = DemoCost.charges();
  static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
  /** The command line's default thresholds for {@code tally report anomalies}: any amount, 10% of expected. */
  static final AnomalySettings CLI_DEFAULTS = AnomalySettings.defaults().withThresholds(BigDecimal.ZERO,
      BigDecimal.TEN);

  @TempDir static Path dir;
  static TallyStore store;
  static CostStore cost;
  static ImportOutcome imported;

  @BeforeAll
  static void load() {
    store = TallyStore.open(dir, new TestingClock(Instant.parse("2025-03-01T00:00:00Z")));
    imported = new DemoLoader(store).costYear(TENANT);
    cost = CostStore.on(store);
  }

  @AfterAll
  static void close() {
    store.close();
  }

  private static BigDecimal billed(Predicate<Charge> which) {
    return CHARGES.stream().filter(which).map(Charge::billedCost).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  private static Predicate<Charge> usageIn(LocalDate from, LocalDate to) {
    return c -> c.usage() && !c.chargePeriodStart().isBefore(from) && c.chargePeriodStart().isBefore(to);
  }

  private static Predicate<Charge> usageIn(YearMonth m) {
    return usageIn(m.atDay(1), m.plusMonths(1).atDay(1));
  }

  private static Map<String, Object> row(ReportTable t, String column, String value) {
    return t.records().stream().filter(r -> value.equals(r.get(column))).findFirst()
        .orElseThrow(() -> new AssertionError("no row with " + column + "=" + value + " in " + t.records()));
  }

  private static Map<String, Object> usageRow(ReportTable totals, String column, String value) {
    return totals.records().stream().filter(r -> r.get("section").equals("usage") && value.equals(r.get(column)))
        .findFirst().orElseThrow(() -> new AssertionError("no usage row " + column + "=" + value));
  }

  private static BigDecimal money(Map<String, Object> row, String column) {
    return (BigDecimal) row.get(column);
  }

  private static BigDecimal percent(BigDecimal part, BigDecimal whole) {
    return part.multiply(HUNDRED).divide(whole, 2, RoundingMode.HALF_UP);
  }

  private static BigDecimal within(BigDecimal value, BigDecimal target, BigDecimal tolerance) {
    assertThat(value).isBetween(target.subtract(tolerance), target.add(tolerance));
    return value;
  }

  @Test
  void importsEveryRowOnceAndAgainAddsNothing() {
    assertThat(imported.alreadyImported()).isFalse();
    assertThat(imported.rows()).isEqualTo(CHARGES.size());
    assertThat(imported.billedTotal()).isEqualByComparingTo(billed(c -> true));
    BigDecimal before = money(row(totals("ChargeCategory", ChargeScope.ALL), "section", "all"), "cost");

    ImportOutcome again = new DemoLoader(store).costYear(TENANT);

    assertThat(again.alreadyImported()).isTrue();
    assertThat(again.rows()).isZero();
    assertThat(money(row(totals("ChargeCategory", ChargeScope.ALL), "section", "all"), "cost"))
        .isEqualByComparingTo(before).isEqualByComparingTo(billed(c -> true));
  }

  @Test
  void storageGrewByTheStatedPercentFromJanuaryToOctober() {
    ReportTable growth = cost.reports().growth(CostScope.of(TENANT), CostColumn.parse("--by", "ServiceName"),
        CostPeriod.month(DemoCost.GROWTH_BASE), CostPeriod.month(DemoCost.GROWTH_COMPARE));
    Map<String, Object> storage = row(growth, "ServiceName", DemoCost.OBJECT_STORAGE);
    Predicate<Charge> isStorage = c -> c.serviceName().equals(DemoCost.OBJECT_STORAGE);
    BigDecimal january = billed(usageIn(DemoCost.GROWTH_BASE).and(isStorage));
    BigDecimal october = billed(usageIn(DemoCost.GROWTH_COMPARE).and(isStorage));
    assertThat(money(storage, "base")).isEqualByComparingTo(january);
    assertThat(money(storage, "compare")).isEqualByComparingTo(october);
    assertThat(money(storage, "change_percent")).isEqualByComparingTo(percent(october.subtract(january), january));
    within(money(storage, "change_percent"), DemoCost.STORAGE_GROWTH_PERCENT, DemoCost.STORAGE_GROWTH_TOLERANCE);
    assertThat(storage.get("status")).isEqualTo("UP");
  }

  @Test
  void aiAndTranslationAreTheStatedShareOfUsageAndSharesAddUp() {
    BigDecimal usage = billed(Charge::usage);
    BigDecimal ai = billed(c -> c.usage() && Set.of(DemoCost.AI_MODELS, DemoCost.TRANSLATION)
        .contains(c.serviceName()));

    ReportTable byCategory = totals("ServiceCategory", ChargeScope.ALL);
    Map<String, Object> aiCategory = usageRow(byCategory, "ServiceCategory", DemoCost.AI_CATEGORY);
    assertThat(money(aiCategory, "cost")).isEqualByComparingTo(ai);
    assertThat(money(aiCategory, "share_percent")).isEqualByComparingTo(percent(ai, usage));
    within(money(aiCategory, "share_percent"), DemoCost.AI_SHARE_PERCENT, DemoCost.AI_SHARE_TOLERANCE);
    assertThat(money(usageRow(byCategory, "ServiceCategory", "(total)"), "cost")).isEqualByComparingTo(usage);

    ReportTable byService = totals("ServiceName", ChargeScope.USAGE);
    List<Map<String, Object>> services = byService.records().stream()
        .filter(r -> r.get("section").equals("usage") && !((String) r.get("ServiceName")).startsWith("(")).toList();
    assertThat(services).hasSize(7);
    BigDecimal shares = services.stream().map(r -> money(r, "share_percent")).reduce(BigDecimal.ZERO,
        BigDecimal::add);
    // Each share is rounded on its own: 7 of them sum to 100 within 7 × 0.005.
    assertThat(shares.subtract(HUNDRED).abs()).isLessThanOrEqualTo(new BigDecimal("0.035"));
    assertThat(money(usageRow(byService, "ServiceName", DemoCost.AI_MODELS), "cost")
        .add(money(usageRow(byService, "ServiceName", DemoCost.TRANSLATION), "cost"))).isEqualByComparingTo(ai);
  }

  @Test
  void theLaunchWeekIsTheTopWeekByTheStatedMargin() {
    ReportTable peaks = cost.reports().peaks(CostScope.of(TENANT), "week", 3);
    List<Map<String, Object>> ranked = peaks.records().stream().filter(r -> r.get("kind").equals("peak")).toList();
    CostPeriod week = CostPeriod.parse("week", DemoCost.PEAK_WEEK);
    assertThat(ranked.get(0).get("period_start")).isEqualTo(week.start().toString());
    assertThat(money(ranked.get(0), "cost")).isEqualByComparingTo(billed(usageIn(week.start(), week.end())));
    BigDecimal second = money(ranked.get(1), "cost");
    assertThat(money(ranked.get(0), "cost")).isGreaterThan(second.add(second.multiply(
        DemoCost.PEAK_WEEK_MARGIN_PERCENT).divide(HUNDRED)));
  }

  @Test
  void theInjectedAnomalyIsFlaggedWithItsRootCauseFirstInEveryColumn() {
    ReportTable year = cost.insights().anomalies(CostScope.of(TENANT), Optional.empty(), CLI_DEFAULTS,
        CostInsights.defaultDimensions());
    Map<String, Object> anomaly = row(year, "day", DemoCost.ANOMALY_DAY.toString());
    assertThat(anomaly.get("series")).isEqualTo("total");
    assertThat(money(anomaly, "actual")).isEqualByComparingTo(billed(usageIn(DemoCost.ANOMALY_DAY,
        DemoCost.ANOMALY_DAY.plusDays(1))));
    // The impact is the runaway job's cost, give or take the model's error on an ordinary day (a few percent of it).
    within(money(anomaly, "impact"), DemoCost.ANOMALY_COST, new BigDecimal("150"));
    Set<String> culprits = Set.of(DemoCost.ANOMALY_SERVICE, DemoCost.ANOMALY_SUB_ACCOUNT, DemoCost.ANOMALY_REGION,
        DemoCost.ANOMALY_RESOURCE);
    assertThat(causes(anomaly)).hasSize(CostInsights.ROOT_CAUSES)
        .allSatisfy(c -> assertThat(c.get("value")).isIn(culprits));

    // Column by column, the injected value comes first.
    Map<String, String> expected = Map.of("ServiceName", DemoCost.ANOMALY_SERVICE, "SubAccountId",
        DemoCost.ANOMALY_SUB_ACCOUNT, "RegionId", DemoCost.ANOMALY_REGION, "ResourceId", DemoCost.ANOMALY_RESOURCE);
    CostScope thatDay = CostScope.of(TENANT).withDays(Optional.of(DemoCost.ANOMALY_DAY),
        Optional.of(DemoCost.ANOMALY_DAY.plusDays(1)));
    expected.forEach((column, value) -> {
      ReportTable one = cost.insights().anomalies(thatDay, Optional.empty(), CLI_DEFAULTS,
          List.of(CostColumn.parse("--cause", column)));
      assertThat(one.records()).hasSize(1);
      Map<String, Object> first = causes(one.records().get(0)).get(0);
      assertThat(first.get("dimension")).isEqualTo(column);
      assertThat(first.get("value")).as(column).isEqualTo(value);
      // An id is shown with the name the bill gives it; a name column (ServiceName) has none of its own.
      if (column.equals("SubAccountId")) {
        assertThat(first.get("name")).isEqualTo("Research");
        assertThat(first.keySet()).containsExactly("dimension", "value", "name", "contribution", "percent");
      } else if (column.equals("ServiceName")) {
        assertThat(first).doesNotContainKey("name");
      } else {
        assertThat(first.get("name")).as(column).isNotNull().isNotEqualTo(value);
      }
    });
  }

  @Test
  void ordinaryDaysAndPurchaseDaysAreNotAnomalies() {
    ReportTable year = cost.insights().anomalies(CostScope.of(TENANT), Optional.empty(), CLI_DEFAULTS,
        CostInsights.defaultDimensions());
    List<Object> flagged = year.records().stream().map(r -> r.get("day")).toList();
    // Ordinary days, the days around the anomaly, and days with consulting, support or the credit.
    List<LocalDate> ordinary = List.of(LocalDate.of(2024, 3, 12), LocalDate.of(2024, 6, 19),
        DemoCost.ANOMALY_DAY.minusDays(1), DemoCost.ANOMALY_DAY.plusDays(1), LocalDate.of(2024, 12, 2));
    for (LocalDate d : ordinary) {
      assertThat(flagged).as("flagged days").doesNotContain(d.toString());
    }
    for (LocalDate d : DemoCost.CONSULTING_FEES.keySet()) {
      assertThat(flagged).as("flagged days").doesNotContain(d.toString());
    }
    // From November on, the injected day is the only one.
    ReportTable november = cost.insights().anomalies(CostScope.of(TENANT).withDays(
        Optional.of(LocalDate.of(2024, 11, 1)), Optional.empty()), Optional.empty(), CLI_DEFAULTS,
        CostInsights.defaultDimensions());
    assertThat(november.records()).extracting(r -> r.get("day")).containsExactly(DemoCost.ANOMALY_DAY.toString());
  }

  @Test
  void purchasesAndTheCreditAreExactAndOutsideUsage() {
    // As 'tally report totals --by ChargeCategory --charges all' shows it: one section per category, each with its
    // (total) row, then the grand total.
    ReportTable byCategory = totals("ChargeCategory", ChargeScope.ALL);
    BigDecimal usage = billed(Charge::usage);
    assertThat(sectionTotal(byCategory, "Usage")).isEqualByComparingTo(usage);
    assertThat(sectionTotal(byCategory, "Purchase")).isEqualByComparingTo(DemoCost.PURCHASE_TOTAL);
    assertThat(sectionTotal(byCategory, "Credit")).isEqualByComparingTo(DemoCost.CREDIT_AMOUNT);
    assertThat(money(row(byCategory, "section", "all"), "cost")).isEqualByComparingTo(usage
        .add(DemoCost.PURCHASE_TOTAL).add(DemoCost.CREDIT_AMOUNT));

    // The usage reports never see them: no purchase service among the usage groups, and a month with consulting and
    // support costs exactly its usage.
    ReportTable byService = totals("ServiceName", ChargeScope.USAGE);
    assertThat(byService.records()).extracting(r -> r.get("ServiceName"))
        .doesNotContain(DemoCost.CONSULTING_SERVICE, DemoCost.SUPPORT_SERVICE);
    YearMonth august = YearMonth.of(2024, 8);
    ReportTable months = cost.reports().series(CostScope.of(TENANT), "month", Optional.empty());
    assertThat(money(row(months, "period_start", august.atDay(1).toString()), "cost"))
        .isEqualByComparingTo(billed(usageIn(august)));
  }

  private ReportTable totals(String by, ChargeScope charges) {
    return cost.reports().totals(CostScope.of(TENANT).withCharges(charges), CostColumn.parse("--by", by), 10);
  }

  /**
   * The cost of a charge category's {@code (total)} row, read by position: grouped by ChargeCategory, the table has the
   * section's category, then the group ({@code group_ChargeCategory}).
   */
  private static BigDecimal sectionTotal(ReportTable totals, String category) {
    return totals.rows().stream().filter(r -> category.equals(r.get(1)) && "(total)".equals(r.get(2)))
        .map(r -> (BigDecimal) r.get(3)).findFirst()
        .orElseThrow(() -> new AssertionError("no (total) row for " + category + " in " + totals.rows()));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> causes(Map<String, Object> anomaly) {
    return (List<Map<String, Object>>) anomaly.get("root_causes");
  }
}
