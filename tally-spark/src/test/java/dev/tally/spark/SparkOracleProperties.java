package dev.tally.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.api.UsageQuery;
import dev.tally.api.UsageResult;
import dev.tally.core.format.UsageFormats;
import dev.tally.store.QueryOracle;
import dev.tally.store.QueryOracle.Case;
import dev.tally.store.TallyStore;
import dev.tally.store.export.LakeExport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The store's oracle property, run on both engines: for each generated case (events, meter of any aggregation,
 * windows in zones across DST, grouping, filters), the case is ingested into a real store and exported to the lake;
 * DuckDB over the store and Spark over the lake must print the same JSON, and both must equal the oracle.
 */
class SparkOracleProperties {
  private static final AtomicInteger TENANTS = new AtomicInteger();
  private static Path dir;
  private static TallyStore store;
  private static SparkUsageEngine spark;

  @BeforeContainer
  static void open() throws IOException {
    dir = Files.createTempDirectory("tally-spark-oracle");
    Clock clock = Clock.fixed(QueryOracle.NOW, ZoneOffset.UTC);
    store = TallyStore.open(dir.resolve("store"), clock);
    spark = new SparkUsageEngine(new SparkLake(SharedSpark.get(), dir.resolve("lake").toString()), clock);
  }

  @AfterContainer
  static void close() throws IOException {
    store.close();
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  @Provide
  Arbitrary<Case> cases() {
    return QueryOracle.cases();
  }

  @Property(tries = 50)
  void sparkAndDuckDbAgreeWithEachOtherAndTheOracle(@ForAll("cases") Case c) {
    String tenant = "p" + TENANTS.incrementAndGet();
    store.meters().apply(tenant, List.of(QueryOracle.meter(c)), false);
    store.ingestor().ingest(tenant, QueryOracle.events(c), QueryOracle.NOW);
    new LakeExport(store).export(new LakeExport.Request(dir.resolve("lake"), Optional.of(tenant), Optional.empty(),
        Optional.empty()));
    UsageQuery q = QueryOracle.query(c);
    UsageResult duck = store.queries().query(tenant, q);
    UsageResult onSpark = spark.query(tenant, q);
    assertThat(UsageFormats.json(onSpark)).as("Spark's JSON equals DuckDB's").isEqualTo(UsageFormats.json(duck));
    Map<String, BigDecimal> expected = QueryOracle.expected(c);
    Map<String, BigDecimal> got = QueryOracle.rows(onSpark);
    assertThat(got.keySet()).as("rows").isEqualTo(expected.keySet());
    expected.forEach((k, v) -> assertThat(got.get(k)).as(k).isEqualByComparingTo(v));
  }
}
