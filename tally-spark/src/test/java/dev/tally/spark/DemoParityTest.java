package dev.tally.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.api.Meter;
import dev.tally.api.UsageQuery;
import dev.tally.api.WindowSize;
import dev.tally.core.demo.DemoData;
import dev.tally.core.format.UsageFormats;
import dev.tally.store.DemoLoader;
import dev.tally.store.TallyStore;
import dev.tally.store.export.ExportReport;
import dev.tally.store.export.LakeExport;
import dev.tally.store.pricing.PricingStore;
import dev.tally.store.pricing.StoredInvoice;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
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
 * invoice line's quantity of a month, are the same on Spark over the lake as on DuckDB over the store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoParityTest {
  /** After the demo year: time-weighted series end at the range's end, not at the clock. */
  private static final Instant NOW = Instant.parse("2025-03-01T00:00:00Z");
  private static final String TENANT = DemoLoader.DEMO_TENANT;

  @TempDir static Path dir;
  TallyStore store;
  SparkUsageEngine spark;
  ExportReport exported;

  @BeforeAll
  void load() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    store = TallyStore.open(dir.resolve("store"), clock);
    DemoLoader loader = new DemoLoader(store);
    // The documented demo has 40 customers; 6 keep the suite short and still give every meter and plan rows.
    loader.load(TENANT, new DemoData(42, 6));
    loader.invoiceYear(TENANT);
    exported = new LakeExport(store).export(new LakeExport.Request(dir.resolve("lake"), Optional.of(TENANT),
        Optional.empty(), Optional.empty()));
    spark = new SparkUsageEngine(new SparkLake(SharedSpark.get(), dir.resolve("lake").toString()), clock);
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
}
