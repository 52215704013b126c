package dev.tally.store.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.api.TallyException;
import dev.tally.core.cost.ChargeScope;
import dev.tally.core.cost.CostPeriod;
import dev.tally.core.cost.ReportTable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The aggregating reports on a small dataset whose answers are computed by hand in {@link FocusFiles#juneJuly}. */
class CostReportsTest extends CostTestBase {
  @BeforeEach
  void load() {
    cost.importer().importFile("t1", FocusFiles.juneJuly().write(dir.resolve("bill.csv")), CostFormat.FOCUS);
  }

  private static Map<String, Object> find(ReportTable t, String column, String value) {
    return t.records().stream().filter(r -> value.equals(r.get(column))).findFirst()
        .orElseThrow(() -> new AssertionError("no row with " + column + "=" + value + " in " + t.records()));
  }

  private static BigDecimal money(Map<String, Object> row, String column) {
    return (BigDecimal) row.get(column);
  }

  @Test
  void totalsShowUsageSharesTopNWithOthersAndNonUsageApart() {
    ReportTable t = cost.reports().totals(CostScope.of("t1").withCharges(ChargeScope.ALL),
        CostColumn.parse("--by", "ServiceName"), 2);
    List<Map<String, Object>> usage = t.records().stream().filter(r -> r.get("section").equals("usage")).toList();
    assertThat(usage).extracting(r -> r.get("ServiceName")).containsExactly("EC2", "S3", "(others: 2)", "(total)");
    assertThat(money(usage.get(0), "cost")).isEqualByComparingTo("500");
    // 500/650 = 76.923..%, 90/650 = 13.846..%, 60/650 = 9.230..%
    assertThat(money(usage.get(0), "share_percent")).isEqualByComparingTo("76.92");
    assertThat(money(usage.get(1), "share_percent")).isEqualByComparingTo("13.85");
    assertThat(money(usage.get(2), "share_percent")).isEqualByComparingTo("9.23");
    assertThat(money(usage.get(3), "cost")).isEqualByComparingTo("650");
    Map<String, Object> purchase = t.records().stream().filter(r -> "Purchase".equals(r.get("ChargeCategory"))
        && "Consulting".equals(r.get("ServiceName"))).findFirst().orElseThrow();
    assertThat(purchase.get("section")).isEqualTo("non-usage");
    assertThat(money(purchase, "cost")).isEqualByComparingTo("1000");
    assertThat(money(find(t, "ServiceName", "(grand total)"), "cost")).isEqualByComparingTo("1670");
  }

  @Test
  void totalsByChargeCategoryNameTheGroupColumnApartSoNoKeyCollides() {
    ReportTable t = cost.reports().totals(CostScope.of("t1").withCharges(ChargeScope.ALL),
        CostColumn.parse("--by", "chargecategory"), 10);
    assertThat(t.columns()).containsExactly("section", "ChargeCategory", "group_ChargeCategory", "cost",
        "share_percent", "quantity", "unit");
    Map<String, Object> purchaseTotal = t.records().stream().filter(r -> "Purchase".equals(r.get("ChargeCategory"))
        && "(total)".equals(r.get("group_ChargeCategory"))).findFirst().orElseThrow();
    assertThat(money(purchaseTotal, "cost")).isEqualByComparingTo("1000");
    assertThat(t.render(dev.tally.core.format.UsageFormats.Format.CSV).lines().findFirst().orElseThrow())
        .isEqualTo("section,ChargeCategory,group_ChargeCategory,cost,share_percent,quantity,unit");
    assertThat(t.notes()).anyMatch(n -> n.contains("group_ChargeCategory"));
  }

  @Test
  void totalsOfGroupsEqualTheUngroupedTotalAndFiltersApply() {
    CostScope june = CostScope.of("t1").withDays(Optional.of(LocalDate.of(2024, 6, 1)),
        Optional.of(LocalDate.of(2024, 7, 1)));
    ReportTable byService = cost.reports().totals(june, CostColumn.parse("--by", "ServiceName"), 10);
    // 200/300 = 66.67, 50/300 = 16.67 twice: the shares sum to 100.01, within the stated rounding.
    assertThat(money(find(byService, "ServiceName", "EC2"), "share_percent")).isEqualByComparingTo("66.67");
    assertThat(money(find(byService, "ServiceName", "RDS"), "share_percent")).isEqualByComparingTo("16.67");
    assertThat(money(find(byService, "ServiceName", "(total)"), "cost")).isEqualByComparingTo("300");
    ReportTable byTag = cost.reports().totals(june, CostColumn.parse("--by", "tag:env"), 10);
    assertThat(money(find(byTag, "tag:env", "prod"), "cost")).isEqualByComparingTo("100");
    assertThat(money(find(byTag, "tag:env", "(none)"), "cost")).isEqualByComparingTo("150");
    ReportTable acct2 = cost.reports().totals(CostScope.of("t1").withFilters(List.of(CostFilter.parse("--filter",
        "SubAccountId=acct2"))), CostColumn.parse("--by", "RegionId"), 10);
    assertThat(money(find(acct2, "RegionId", "eu-west-1"), "cost")).isEqualByComparingTo("60");
    ReportTable byTagFilter = cost.reports().totals(CostScope.of("t1").withFilters(List.of(CostFilter.parse(
        "--filter", "tag:env=dev"))), CostColumn.parse("--by", "ServiceName"), 10);
    assertThat(money(find(byTagFilter, "ServiceName", "(total)"), "cost")).isEqualByComparingTo("50");
  }

  @Test
  void growthBetweenMonthsWithNewAndGoneGroups() {
    ReportTable t = cost.reports().growth(CostScope.of("t1"), CostColumn.parse("--by", "ServiceName"),
        CostPeriod.parse("--base", "2024-06"), CostPeriod.parse("--compare", "2024-07"));
    Map<String, Object> ec2 = find(t, "ServiceName", "EC2");
    assertThat(money(ec2, "change")).isEqualByComparingTo("100");
    assertThat(money(ec2, "change_percent")).isEqualByComparingTo("50.00");
    assertThat(money(find(t, "ServiceName", "S3"), "change_percent")).isEqualByComparingTo("-20.00");
    assertThat(find(t, "ServiceName", "RDS").get("status")).isEqualTo("GONE");
    Map<String, Object> lambda = find(t, "ServiceName", "Lambda");
    assertThat(lambda.get("status")).isEqualTo("NEW");
    assertThat(lambda.get("change_percent")).isNull();
    Map<String, Object> total = find(t, "ServiceName", "(total)");
    assertThat(money(total, "base")).isEqualByComparingTo("300");
    assertThat(money(total, "compare")).isEqualByComparingTo("350");
    assertThat(money(total, "change_percent")).isEqualByComparingTo("16.67");
    // The consulting purchase in July is not usage growth.
    assertThat(t.records()).noneMatch(r -> "Consulting".equals(r.get("ServiceName")));
  }

  @Test
  void weeklySeriesIsDenseAndPeaksFindTheTopWeeksAndTheJump() {
    ReportTable weeks = cost.reports().series(CostScope.of("t1"), "week", Optional.empty());
    assertThat(weeks.records()).extracting(r -> r.get("period_start")).containsExactly("2024-06-03", "2024-06-10",
        "2024-06-17", "2024-06-24", "2024-07-01");
    assertThat(weeks.records()).extracting(r -> ((BigDecimal) r.get("cost")).stripTrailingZeros().toPlainString())
        .containsExactly("200", "100", "0", "0", "350");
    ReportTable peaks = cost.reports().peaks(CostScope.of("t1"), "week", 2);
    assertThat(peaks.records()).extracting(r -> r.get("kind") + " " + r.get("period_start"))
        .containsExactly("peak 2024-07-01", "peak 2024-06-03", "largest jump 2024-07-01");
    Map<String, Object> jump = peaks.records().get(2);
    assertThat(jump.get("previous_period")).isEqualTo("2024-06-24");
    assertThat(money(jump, "change")).isEqualByComparingTo("350");
  }

  @Test
  void monthsAreCountedInTheChosenZone() throws Exception {
    // 23:30 UTC on 30 June is 01:30 on 1 July in Paris.
    new FocusFiles().addAt(Instant.parse("2024-06-30T23:30:00Z"), "Usage", "EC2", "a", "r", "7", "")
        .write(dir.resolve("late.csv"));
    cost.importer().importFile("t2", dir.resolve("late.csv"), CostFormat.FOCUS);
    ReportTable utc = cost.reports().series(CostScope.of("t2"), "month", Optional.empty());
    ReportTable paris = cost.reports().series(CostScope.of("t2").withZone(ZoneId.of("Europe/Paris")), "month",
        Optional.empty());
    assertThat(utc.records().get(0).get("period_start")).isEqualTo("2024-06-01");
    assertThat(paris.records().get(0).get("period_start")).isEqualTo("2024-07-01");
  }

  @Test
  void explainSumsToTheTotalChangeWithinEachDimension() {
    ReportTable t = cost.insights().explain(CostScope.of("t1"), CostPeriod.parse("b", "2024-06"),
        CostPeriod.parse("c", "2024-07"), List.of(CostColumn.parse("--by", "ServiceName"),
            CostColumn.parse("--by", "SubAccountId")), 10);
    assertThat(money(find(t, "dimension", "(total)"), "change")).isEqualByComparingTo("50");
    List<Map<String, Object>> services = t.records().stream().filter(r -> r.get("dimension").equals("ServiceName"))
        .toList();
    assertThat(services).extracting(r -> r.get("value")).containsExactly("EC2", "RDS", "Lambda", "S3");
    assertThat(money(services.get(0), "percent_of_change")).isEqualByComparingTo("200.00");
    assertThat(services.stream().map(r -> money(r, "change")).reduce(BigDecimal.ZERO, BigDecimal::add))
        .isEqualByComparingTo("50");
    // acct1: 250 -> 340 (+90); acct2: 50 -> 10 (-40)
    assertThat(money(find(t, "value", "acct1"), "change")).isEqualByComparingTo("90");
    assertThat(money(find(t, "value", "acct2"), "change")).isEqualByComparingTo("-40");
  }

  @Test
  void severalCurrenciesAreNeverAdded() throws Exception {
    java.nio.file.Files.writeString(dir.resolve("eur.csv"), String.join(",", FocusFiles.HEADER) + "\n"
        + "5,5,5,EUR,Usage,2024-06-03T00:00:00Z,2024-06-04T00:00:00Z,AWS,EC2,acct1,us-east-1,x,1,Hours,\n");
    cost.importer().importFile("t1", dir.resolve("eur.csv"), CostFormat.FOCUS);
    assertThatThrownBy(() -> cost.reports().totals(CostScope.of("t1"), CostColumn.parse("--by", "ServiceName"), 5))
        .isInstanceOf(TallyException.class).hasMessageContaining("BillingCurrency=");
    ReportTable usd = cost.reports().totals(CostScope.of("t1").withFilters(List.of(CostFilter.parse("--filter",
        "BillingCurrency=USD"))), CostColumn.parse("--by", "ServiceName"), 5);
    assertThat(usd.currency()).contains("USD");
  }

  @Test
  void unknownColumnsAreNamed() {
    assertThatThrownBy(() -> CostColumn.parse("--by", "Servicename2"))
        .isInstanceOf(TallyException.class).hasMessageContaining("--by").hasMessageContaining("Servicename2");
  }
}
