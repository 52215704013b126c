package dev.tally.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.api.Meter;
import dev.tally.api.UsageQuery;
import dev.tally.api.WindowSize;
import dev.tally.core.cost.ChargeScope;
import dev.tally.core.cost.CostMetric;
import dev.tally.core.cost.CostPeriod;
import dev.tally.core.cost.ReportTable;
import dev.tally.core.demo.DemoData;
import dev.tally.core.format.UsageFormats;
import dev.tally.store.TallyStore;
import dev.tally.store.cost.CostColumn;
import dev.tally.store.cost.CostFilter;
import dev.tally.store.cost.CostReports;
import dev.tally.store.cost.CostScope;
import dev.tally.store.cost.CostStore;
import dev.tally.store.demo.DemoLoader;
import dev.tally.store.export.ExportReport;
import dev.tally.store.export.LakeExport;
import dev.tally.store.pricing.PricingStore;
import dev.tally.store.pricing.StoredInvoice;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo tenant (usage, a year of invoices) in a real store, exported to the lake: every meter's queries, and every
 * invoice line's quantity of a month, and the cost reports over the demo's cloud bill are the same on Spark over the
 * lake as on DuckDB over the store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoParityTest {
  /** After the demo year: time-weighted series end at the range's end, not at the clock. */
  private static final Instant NOW = Instant.parse("2025-03-01T00:00:00Z");
  private static final String TENANT = DemoLoader.DEMO_TENANT;

  @TempDir static Path dir;
  TallyStore store;
  SparkUsageEngine spark;
  SparkCostReports sparkCost;
  ExportReport exported;

  @BeforeAll
  void load() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    store = TallyStore.open(dir.resolve("store"), clock);
    DemoLoader loader = new DemoLoader(store);
    // The documented demo has 40 customers; 6 keep the suite short and still give every meter and plan rows.
    loader.load(TENANT, new DemoData(42, 6));
    loader.invoiceYear(TENANT);
    loader.costYear(TENANT);
    exported = new LakeExport(store).export(new LakeExport.Request(dir.resolve("lake"), Optional.of(TENANT),
        Optional.empty(), Optional.empty()));
    SparkLake lake = new SparkLake(SharedSpark.get(), dir.resolve("lake").toString());
    spark = new SparkUsageEngine(lake, clock);
    sparkCost = new SparkCostReports(lake);
  }

  @AfterAll
  void close() {
    store.close();
  }

  private static UsageQuery query(String meter, String from, String to, WindowSize size, String zone,
      List<String> groupBy, Map<String, String> filters, List<String> subjects) {
    return new UsageQuery(meter, Instant.parse(from), Instant.parse(to), Optional.ofNullable(size), ZoneId.of(zone),
        subjects, groupBy, filters);
  }

  @Test
  void everyMetersQueriesAgreeToTheLastDigit() {
    assertThat(exported.tenants().get(TENANT).get("events")).isPositive();
    List<UsageQuery> queries = new ArrayList<>();
    for (Meter m : DemoData.meters()) {
      List<String> keys = new ArrayList<>(m.groupBy().keySet());
      String s = m.slug();
      // The year by month in Paris (DST both ways), by every key; a DST month by local day, by subject.
      queries.add(query(s, "2023-12-31T23:00:00Z", "2024-12-31T23:00:00Z", WindowSize.MONTH, "Europe/Paris", keys,
          Map.of(), List.of()));
      queries.add(query(s, "2024-03-01T00:00:00Z", "2024-04-01T00:00:00Z", WindowSize.DAY, "America/New_York",
          List.of("subject"), Map.of(), List.of()));
      // The night clocks go back in Paris, by hour: the repeated hour is two windows on both engines.
      queries.add(query(s, "2024-10-26T20:00:00Z", "2024-10-27T06:00:00Z", WindowSize.HOUR, "Europe/Paris", keys,
          Map.of(), List.of()));
      // A half-hour zone, a filter and two subjects, no window.
      Map<String, String> filter = keys.isEmpty() ? Map.of() : Map.of(keys.get(0), firstValue(s, keys.get(0)));
      queries.add(query(s, "2024-06-01T00:00:00Z", "2024-07-01T00:00:00Z", null, "Asia/Kolkata", List.of(), filter,
          List.of(DemoData.subject(1), DemoData.subject(2))));
      if (m.aggregation() == dev.tally.api.Aggregation.SUM || m.aggregation().timeWeighted()) {
        // Minutes in a half-hour zone: a day of 1,440 windows (kept to a few meters: it is the slowest query here).
        queries.add(query(s, "2024-06-01T00:00:00Z", "2024-06-02T00:00:00Z", WindowSize.MINUTE, "Asia/Kolkata",
            List.of(), Map.of(), List.of()));
      }
    }
    int rows = 0;
    for (UsageQuery q : queries) {
      String duck = UsageFormats.json(store.queries().query(TENANT, q));
      assertThat(UsageFormats.json(spark.query(TENANT, q))).as(q.toString()).isEqualTo(duck);
      rows += store.queries().query(TENANT, q).data().size();
    }
    assertThat(rows).as("the queries have answers to compare").isGreaterThan(500);
  }

  private String firstValue(String meter, String key) {
    UsageQuery q = query(meter, "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z", null, "UTC", List.of(key),
        Map.of(), List.of());
    return store.queries().query(TENANT, q).data().get(0).groupBy().get(key);
  }

  @Test
  void aMonthOfInvoiceQuantitiesAgreeLineByLine() {
    List<StoredInvoice> invoices = PricingStore.open(store).invoices().list(TENANT, Optional.of(YearMonth.of(2024, 4)),
        Optional.empty());
    assertThat(invoices).isNotEmpty();
    int lines = 0;
    for (StoredInvoice inv : invoices) {
      for (JsonNode line : inv.doc().path("lines")) {
        JsonNode src = line.path("explanation").path("source");
        if (!src.isObject()) {
          continue;
        }
        List<String> subjects = new ArrayList<>();
        src.path("subjects").forEach(n -> subjects.add(n.asText()));
        Map<String, String> filters = new LinkedHashMap<>();
        src.path("filters").fields().forEachRemaining(e -> filters.put(e.getKey(), e.getValue().asText()));
        BigDecimal onSpark = spark.quantity(TENANT, src.path("meter").asText(), Instant.parse(src.path("from").asText()),
            Instant.parse(src.path("to").asText()), subjects, filters);
        assertThat(onSpark).as(inv.id() + " " + line.path("description").asText())
            .isEqualByComparingTo(new BigDecimal(src.path("quantity").asText()));
        lines++;
      }
    }
    assertThat(lines).as("usage lines compared").isGreaterThan(10);
  }

  /** One cost report's scope, for both engines. */
  private record Scope(List<String> filters, String from, String to, String zone, CostMetric metric,
      ChargeScope charges) {
    CostScope store() {
      return new CostScope(TENANT, filters.stream().map(f -> CostFilter.parse("--filter", f)).toList(),
          Optional.ofNullable(from).map(LocalDate::parse), Optional.ofNullable(to).map(LocalDate::parse),
          ZoneId.of(zone), metric, charges);
    }

    SparkCostReports.Scope spark() {
      return new SparkCostReports.Scope(TENANT, filters, Optional.ofNullable(from).map(LocalDate::parse),
          Optional.ofNullable(to).map(LocalDate::parse), ZoneId.of(zone), metric, charges);
    }
  }

  private static Scope scope(ChargeScope charges, String zone, String from, String to, String... filters) {
    return new Scope(List.of(filters), from, to, zone, CostMetric.BILLED, charges);
  }

  @Test
  void costReportsAgreeToTheLastCharacter() {
    CostReports duck = CostStore.on(store).reports();
    List<String> compared = new ArrayList<>();
    java.util.function.BiConsumer<String, java.util.function.Supplier<ReportTable[]>> same = (name, both) -> {
      ReportTable[] t = both.get();
      assertThat(t[1].render(UsageFormats.Format.JSON)).as(name).isEqualTo(t[0].render(UsageFormats.Format.JSON));
      assertThat(t[1].render(UsageFormats.Format.CSV)).as(name).isEqualTo(t[0].render(UsageFormats.Format.CSV));
      assertThat(t[0].rows()).as(name + " has rows").isNotEmpty();
      compared.add(name);
    };
    Scope all = scope(ChargeScope.ALL, "UTC", null, null);
    Scope usageParis = scope(ChargeScope.USAGE, "Europe/Paris", "2024-03-01", "2024-11-01");
    for (String by : List.of("ServiceName", "SubAccountId", "RegionId", "ChargeCategory", "tag:team", "tag:env",
        "ChargePeriodStart", "ConsumedUnit", "ListUnitPrice")) {
      same.accept("totals by " + by, () -> new ReportTable[] {duck.totals(all.store(), CostColumn.parse("--by", by), 5),
          sparkCost.totals(all.spark(), by, 5)});
    }
    Scope effective = new Scope(List.of("ServiceCategory=AI and Machine Learning"), null, null, "Asia/Kolkata",
        CostMetric.EFFECTIVE, ChargeScope.USAGE);
    same.accept("totals effective, filtered", () -> new ReportTable[] {
        duck.totals(effective.store(), CostColumn.parse("--by", "ResourceId"), 3),
        sparkCost.totals(effective.spark(), "ResourceId", 3)});
    Scope nullRegion = scope(ChargeScope.NON_USAGE, "UTC", null, null, "RegionId=");
    same.accept("totals of non-usage without a region", () -> new ReportTable[] {
        duck.totals(nullRegion.store(), CostColumn.parse("--by", "ServiceName"), 10),
        sparkCost.totals(nullRegion.spark(), "ServiceName", 10)});
    for (String[] periods : List.of(new String[] {"2024-01", "2024-10"}, new String[] {"2024-W36", "2024-W37"},
        new String[] {"2024-03-30..2024-04-02", "2024-10-26..2024-10-29"})) {
      Scope paris = scope(ChargeScope.USAGE, "Europe/Paris", null, null);
      same.accept("growth " + String.join(" vs ", periods), () -> new ReportTable[] {
          duck.growth(paris.store(), CostColumn.parse("--by", "ServiceName"), CostPeriod.parse("--base", periods[0]),
              CostPeriod.parse("--compare", periods[1])),
          sparkCost.growth(paris.spark(), "ServiceName", CostPeriod.parse("--base", periods[0]),
              CostPeriod.parse("--compare", periods[1]))});
    }
    for (String window : List.of("day", "week", "month")) {
      same.accept("series " + window, () -> new ReportTable[] {duck.series(usageParis.store(), window, Optional.empty()),
          sparkCost.series(usageParis.spark(), window, Optional.empty())});
      Scope ny = scope(ChargeScope.ALL, "America/New_York", "2024-02-15", "2024-12-01", "tag:env=prod");
      same.accept("series " + window + " by service in New York", () -> new ReportTable[] {
          duck.series(ny.store(), window, Optional.of(CostColumn.parse("--by", "ServiceName"))),
          sparkCost.series(ny.spark(), window, Optional.of("ServiceName"))});
      same.accept("peaks " + window, () -> new ReportTable[] {duck.peaks(all.store(), window, 3),
          sparkCost.peaks(all.spark(), window, 3)});
    }
    assertThat(compared).hasSize(23);
  }
}
