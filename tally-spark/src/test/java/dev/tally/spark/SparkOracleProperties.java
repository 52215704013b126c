package dev.tally.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.api.UsageQuery;
import dev.tally.api.UsageResult;
import dev.tally.core.format.UsageFormats;
import dev.tally.store.OracleStore;
import dev.tally.store.QueryOracle;
import dev.tally.store.QueryOracle.Case;
import dev.tally.store.export.LakeExport;
import java.io.IOException;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The store's oracle property, run on both engines: for each generated case (events, meter of any aggregation,
 * windows in zones across DST, grouping, filters), the case is ingested into a real store and exported to the lake;
 * DuckDB over the store and Spark over the lake must print the same JSON, and both must equal the oracle.
 */
class SparkOracleProperties {
  private static OracleStore oracle;
  private static SparkUsageEngine spark;

  @BeforeContainer
  static void open() throws IOException {
    oracle = new OracleStore("tally-spark-oracle");
    spark = new SparkUsageEngine(new SparkLake(SharedSpark.get(), oracle.dir().resolve("lake").toString()),
        oracle.clock());
  }

  @AfterContainer
  static void close() throws IOException {
    oracle.close();
  }

  @Property(tries = 50)
  void sparkAndDuckDbAgreeWithEachOtherAndTheOracle(@ForAll(supplier = QueryOracle.Cases.class) Case c) {
    String tenant = oracle.load(c);
    new LakeExport(oracle.store()).export(new LakeExport.Request(oracle.dir().resolve("lake"), Optional.of(tenant),
        Optional.empty(), Optional.empty()));
    UsageQuery q = QueryOracle.query(c);
    UsageResult duck = oracle.store().queries().query(tenant, q);
    UsageResult onSpark = spark.query(tenant, q);
    assertThat(UsageFormats.json(onSpark)).as("Spark's JSON equals DuckDB's").isEqualTo(UsageFormats.json(duck));
    QueryOracle.assertAgrees(c, onSpark);
  }
}
