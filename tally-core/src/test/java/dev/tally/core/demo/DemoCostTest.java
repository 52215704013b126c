package dev.tally.core.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.cost.CostPeriod;
import dev.tally.core.demo.DemoCost.Charge;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The demo's cloud bill on its own: the same rows every time, well-formed FOCUS values, and constants that agree with
 * the rows they describe. What the reports make of it is DemoCostYearTest's (tally-store).
 */
class DemoCostTest {
  static final List<Charge> CHARGES = DemoCost.charges();

  private static BigDecimal billed(Predicate<Charge> which) {
    return CHARGES.stream().filter(which).map(Charge::billedCost).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  private static Predicate<Charge> usageOf(String service, LocalDate from, LocalDate to) {
    return c -> c.usage() && c.serviceName().equals(service) && !c.chargePeriodStart().isBefore(from)
        && c.chargePeriodStart().isBefore(to);
  }

  @Test
  void sameRowsAndSameBytesOnEveryCall() {
    assertThat(DemoCost.charges()).isEqualTo(CHARGES);
    assertThat(DemoCost.focusCsv()).isEqualTo(DemoCost.focusCsv());
  }

  @Test
  void oneUsageRowPerResourceAndDayPlusTheNonUsageCharges() {
    long resources = CHARGES.stream().filter(Charge::usage).map(Charge::resourceId).distinct().count();
    assertThat(resources).isEqualTo(18);
    long nonUsage = DemoCost.CONSULTING_FEES.size() + 12 + 1;
    assertThat(CHARGES).hasSize((int) (resources * 366 + nonUsage));
    // No resource has two rows on a day.
    assertThat(CHARGES.stream().filter(Charge::usage).map(c -> c.resourceId() + "@" + c.chargePeriodStart())
        .collect(Collectors.toSet())).hasSize((int) (resources * 366));
  }

  @Test
  void usageRowsArePricedQuantitiesInCents() {
    for (Charge c : CHARGES.stream().filter(Charge::usage).toList()) {
      assertThat(c.billedCost().scale()).isEqualTo(2);
      assertThat(c.billedCost()).isEqualByComparingTo(c.pricingQuantity().multiply(c.contractedUnitPrice())
          .setScale(2, RoundingMode.HALF_UP));
      assertThat(c.listCost()).isGreaterThanOrEqualTo(c.billedCost());
      assertThat(c.chargePeriodEnd()).isEqualTo(c.chargePeriodStart().plusDays(1));
      assertThat(c.tags()).containsKeys("team", "env");
    }
  }

  @Test
  void storageGrowsByTheStatedFactorSmoothly() {
    BigDecimal january = billed(usageOf(DemoCost.OBJECT_STORAGE, LocalDate.of(2024, 1, 1), LocalDate.of(2024, 2, 1)));
    BigDecimal october = billed(usageOf(DemoCost.OBJECT_STORAGE, LocalDate.of(2024, 10, 1),
        LocalDate.of(2024, 11, 1)));
    BigDecimal percent = october.subtract(january).multiply(BigDecimal.valueOf(100))
        .divide(january, 4, RoundingMode.HALF_UP);
    assertThat(percent).isBetween(DemoCost.STORAGE_GROWTH_PERCENT.subtract(DemoCost.STORAGE_GROWTH_TOLERANCE),
        DemoCost.STORAGE_GROWTH_PERCENT.add(DemoCost.STORAGE_GROWTH_TOLERANCE));
    // Smooth: every bucket's quantity grows by the same factor every day, to the precision of its rounding.
    BigDecimal g = DemoCost.root(new BigDecimal("2.55"), 274);
    List<Charge> bucket = CHARGES.stream().filter(c -> "bucket/customer-data".equals(c.resourceId())).toList();
    for (int i = 1; i < bucket.size(); i++) {
      BigDecimal ratio = bucket.get(i).consumedQuantity().divide(bucket.get(i - 1).consumedQuantity(),
          MathContext.DECIMAL64);
      assertThat(ratio.subtract(g).abs()).isLessThan(new BigDecimal("1E-7"));
    }
  }

  @Test
  void theGrowthRootIsExact() {
    BigDecimal g = DemoCost.root(new BigDecimal("2.55"), 274);
    assertThat(g.pow(274, MathContext.DECIMAL128).subtract(new BigDecimal("2.55")).abs())
        .isLessThan(new BigDecimal("1E-30"));
  }

  @Test
  void aiAndTranslationAreTheStatedShareOfUsage() {
    BigDecimal usage = billed(Charge::usage);
    BigDecimal ai = billed(c -> c.usage() && Set.of(DemoCost.AI_MODELS, DemoCost.TRANSLATION)
        .contains(c.serviceName()));
    BigDecimal share = ai.multiply(BigDecimal.valueOf(100)).divide(usage, 2, RoundingMode.HALF_UP);
    assertThat(share).isBetween(DemoCost.AI_SHARE_PERCENT.subtract(DemoCost.AI_SHARE_TOLERANCE),
        DemoCost.AI_SHARE_PERCENT.add(DemoCost.AI_SHARE_TOLERANCE));
    // The category that the totals report groups them by holds exactly these two services.
    assertThat(CHARGES.stream().filter(c -> c.usage() && DemoCost.AI_CATEGORY.equals(c.serviceCategory()))
        .map(Charge::serviceName).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder(DemoCost.AI_MODELS, DemoCost.TRANSLATION);
  }

  @Test
  void thePeakWeekIsTheLaunchWeekWithTranslationTimesFour() {
    CostPeriod week = CostPeriod.parse("week", DemoCost.PEAK_WEEK);
    assertThat(week.start()).isEqualTo(DemoData.TRANSLATION_SPIKE_START);
    assertThat(week.end()).isEqualTo(DemoData.TRANSLATION_SPIKE_END);
    BigDecimal launch = billed(usageOf(DemoCost.TRANSLATION, week.start(), week.end()));
    BigDecimal before = billed(usageOf(DemoCost.TRANSLATION, week.start().minusWeeks(1), week.start()));
    BigDecimal ratio = launch.divide(before, MathContext.DECIMAL64);
    // x4, give or take a week of growth (0.1% a day) and noise (3%).
    assertThat(ratio).isBetween(new BigDecimal("3.8"), new BigDecimal("4.2"));
  }

  @Test
  void theAnomalyIsTheStatedGpuHoursOnTheStatedResource() {
    Charge runaway = CHARGES.stream().filter(c -> c.usage() && c.chargePeriodStart().equals(DemoCost.ANOMALY_DAY)
        && DemoCost.ANOMALY_RESOURCE.equals(c.resourceId())).findFirst().orElseThrow();
    assertThat(runaway.serviceName()).isEqualTo(DemoCost.ANOMALY_SERVICE);
    assertThat(runaway.subAccountId()).isEqualTo(DemoCost.ANOMALY_SUB_ACCOUNT);
    assertThat(runaway.regionId()).isEqualTo(DemoCost.ANOMALY_REGION);
    assertThat(DemoCost.ANOMALY_GPU_HOURS.multiply(runaway.contractedUnitPrice()))
        .isEqualByComparingTo(DemoCost.ANOMALY_COST);
    // The same weekday a week earlier, plus the runaway hours, is about the day (the pool's noise is 5%).
    Charge weekBefore = CHARGES.stream().filter(c -> c.usage()
        && c.chargePeriodStart().equals(DemoCost.ANOMALY_DAY.minusWeeks(1))
        && DemoCost.ANOMALY_RESOURCE.equals(c.resourceId())).findFirst().orElseThrow();
    assertThat(runaway.consumedQuantity().subtract(weekBefore.consumedQuantity()).subtract(DemoCost.ANOMALY_GPU_HOURS)
        .abs()).isLessThan(new BigDecimal("10"));
  }

  @Test
  void nonUsageChargesAreTheStatedOnes() {
    assertThat(billed(c -> c.chargeCategory().equals("Purchase"))).isEqualByComparingTo(DemoCost.PURCHASE_TOTAL);
    assertThat(billed(c -> c.chargeCategory().equals("Purchase")
        && c.serviceName().equals(DemoCost.CONSULTING_SERVICE))).isEqualByComparingTo(
            DemoCost.CONSULTING_FEES.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add));
    assertThat(CHARGES.stream().filter(c -> c.serviceName().equals(DemoCost.SUPPORT_SERVICE))
        .map(c -> YearMonth.from(c.chargePeriodStart())).distinct()).hasSize(12);
    List<Charge> credits = CHARGES.stream().filter(c -> c.chargeCategory().equals("Credit")).toList();
    assertThat(credits).singleElement().satisfies(c -> {
      assertThat(c.billedCost()).isEqualByComparingTo(DemoCost.CREDIT_AMOUNT);
      assertThat(c.chargePeriodStart()).isEqualTo(DemoCost.CREDIT_DAY);
    });
    assertThat(CHARGES.stream().map(Charge::chargeCategory).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("Usage", "Purchase", "Credit");
  }

  @Test
  void csvHasTheHeaderOneLinePerChargeAndQuotedTags() {
    List<String> lines = DemoCost.focusCsv().lines().toList();
    assertThat(lines.get(0)).isEqualTo(String.join(",", DemoCost.FOCUS_COLUMNS));
    assertThat(lines).hasSize(CHARGES.size() + 1);
    // Tags hold commas and quotes: the field is quoted and its quotes doubled (RFC 4180).
    assertThat(lines.get(1)).endsWith(",\"{\"\"team\"\":\"\"ml-platform\"\",\"\"env\"\":\"\"prod\"\"}\"");
    assertThat(DemoCost.FOCUS_COLUMNS).contains("BilledCost", "EffectiveCost", "ListCost", "BillingCurrency",
        "ChargeCategory", "ChargePeriodStart", "ChargePeriodEnd");
    assertThat(CHARGES.get(0).focusValues()).hasSameSizeAs(DemoCost.FOCUS_COLUMNS);
  }
}
