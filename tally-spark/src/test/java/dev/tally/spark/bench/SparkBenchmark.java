package dev.tally.spark.bench;

import dev.tally.api.Aggregation;
import dev.tally.api.Meter;
import dev.tally.api.UsageQuery;
import dev.tally.api.UsageResult;
import dev.tally.api.UsageRow;
import dev.tally.api.WindowSize;
import dev.tally.spark.SparkLake;
import dev.tally.spark.SparkUsageEngine;
import dev.tally.store.EventImporter;
import dev.tally.store.TallyStore;
import dev.tally.store.export.LakeExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;

/**
 * The metering benchmark's data and queries on three engines side by side: Tally's store (DuckDB over its own
 * tables), DuckDB by hand over the exported Parquet lake, and Spark local[2] over the same lake through
 * {@link SparkUsageEngine}. Each query is timed as a median of 3 after one warm-up, fetched in full; Spark's answer is
 * checked equal to the store's before it is timed.
 *
 * <p>Usage: {@code SparkBenchmark [--events N] [--dir DIR]}; see tally-spark/bench.sh.
 */
public final class SparkBenchmark {
  private static final int RUNS = 3;
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

  private SparkBenchmark() {}

  public static void main(String[] args) throws Exception {
    long events = 10_000_000;
    Path dir = Path.of("bench-data/spark");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--events" -> events = Long.parseLong(args[++i].replace("_", ""));
        case "--dir" -> dir = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("usage: SparkBenchmark [--events N] [--dir DIR]");
      }
    }
    Files.createDirectories(dir);
    Path store = dir.resolve("store-" + events);
    Path lake = dir.resolve("lake-" + events);
    System.out.printf(Locale.ROOT, "# Spark benchmark: %,d events, 10,000 subjects, year 2024 (%d cores)%n", events,
        Runtime.getRuntime().availableProcessors());
    if (!Files.exists(store.resolve("ok"))) {
      Path ndjson = dir.resolve("events-" + events + ".ndjson");
      generate(ndjson, events);
      long t0 = System.nanoTime();
      try (TallyStore s = TallyStore.open(store, CLOCK)) {
        s.meters().apply("default", meters(), false);
        s.importer().importFile(ndjson, EventImporter.Options.of("default"));
      }
      System.out.printf(Locale.ROOT, "import into Tally: %.1f s%n", (System.nanoTime() - t0) / 1e9);
      Files.delete(ndjson);
      Files.writeString(store.resolve("ok"), "");
    }
    try (TallyStore s = TallyStore.open(store, CLOCK)) {
      if (!Files.exists(lake)) {
        long t0 = System.nanoTime();
        new LakeExport(s).export(new LakeExport.Request(lake, Optional.empty(), Optional.empty(), Optional.empty()));
        System.out.printf(Locale.ROOT, "export to Parquet: %.1f s%n", (System.nanoTime() - t0) / 1e9);
      }
      SparkSession spark = SparkSession.builder().appName("tally-spark-bench").master("local[2]")
          .config("spark.ui.enabled", "false").config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.driver.host", "127.0.0.1").config("spark.sql.shuffle.partitions", "4")
          .config("spark.sql.sources.parallelPartitionDiscovery.threshold", "100000").getOrCreate();
      spark.sparkContext().setLogLevel("WARN");
      SparkUsageEngine engine = new SparkUsageEngine(new SparkLake(spark, lake.toString()), CLOCK);
      String values = "read_parquet('" + lake + "/meter_values/tenant=default/meter=%s/**/*.parquet', "
          + "hive_partitioning = true)";
      try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
        try (Statement st = duck.createStatement()) {
          st.execute("SET TimeZone = 'UTC'");
        }
        System.out.println();
        System.out.println("| query | Tally store | DuckDB over Parquet | Spark local[2] over Parquet "
            + "| Spark / DuckDB-Parquet | Spark / Tally |");
        System.out.println("|---|---|---|---|---|---|");
        compare("SUM by subject x day, one month", s, engine, duck,
            q("tokens", "2024-03-01T00:00:00Z", "2024-04-01T00:00:00Z", WindowSize.DAY, true),
            "SELECT subject, date_trunc('day', ts) AS d, sum(value) FROM " + values.formatted("tokens")
                + " WHERE ts >= '2024-03-01T00:00:00Z' AND ts < '2024-04-01T00:00:00Z' GROUP BY ALL ORDER BY ALL");
        compare("SUM by subject x day, whole year", s, engine, duck,
            q("tokens", "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z", WindowSize.DAY, true),
            "SELECT subject, date_trunc('day', ts) AS d, sum(value) FROM " + values.formatted("tokens")
                + " WHERE ts >= '2024-01-01T00:00:00Z' AND ts < '2025-01-01T00:00:00Z' GROUP BY ALL ORDER BY ALL");
        compare("UNIQUE_COUNT by month, year", s, engine, duck,
            q("users", "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z", WindowSize.MONTH, false),
            "SELECT date_trunc('month', ts) AS m, count(DISTINCT svalue) FROM " + values.formatted("users")
                + " WHERE ts >= '2024-01-01T00:00:00Z' AND ts < '2025-01-01T00:00:00Z' GROUP BY ALL ORDER BY ALL");
        compare("LATEST by subject, year", s, engine, duck,
            q("latest", "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z", null, true),
            "SELECT subject, arg_max(value, epoch_us(ts)::HUGEINT * 9223372036854775808 + seq) FROM "
                + values.formatted("latest")
                + " WHERE ts >= '2024-01-01T00:00:00Z' AND ts < '2025-01-01T00:00:00Z' GROUP BY ALL ORDER BY ALL");
      }
      spark.stop();
    }
  }

  private static List<Meter> meters() {
    return List.of(
        new Meter("tokens", "", "ai.tokens", Aggregation.SUM, Optional.of("$.tokens"), Map.of("model", "$.model"),
            Optional.empty()),
        new Meter("users", "", "ai.tokens", Aggregation.UNIQUE_COUNT, Optional.of("$.user"), Map.of(),
            Optional.empty()),
        new Meter("latest", "", "ai.tokens", Aggregation.LATEST, Optional.of("$.tokens"), Map.of(),
            Optional.empty()));
  }

  /** The metering benchmark's events (tally-bench MeteringBenchmark), as CloudEvents NDJSON. */
  private static void generate(Path ndjson, long events) throws Exception {
    long secondsInYear = 366L * 86_400;
    String rows = "SELECT 'ev-' || i AS id, 'subject-' || lpad((hash(i) % 10000)::VARCHAR, 5, '0') AS subject, "
        + "TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds((i * " + secondsInYear + " // " + events + ")::BIGINT) "
        + "AS \"time\", (hash(i * 7) % 5000 + 1)::BIGINT AS tokens, "
        + "['m1','m2','m3','m4'][(hash(i) % 4 + 1)::INTEGER] AS model, 'u' || (hash(i * 13) % 50000) AS \"user\" "
        + "FROM range(" + events + ") t(i)";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
      st.execute("SET TimeZone = 'UTC'");
      st.execute("COPY (SELECT '1.0' AS specversion, id, 'bench' AS source, 'ai.tokens' AS type, subject, "
          + "strftime(\"time\", '%Y-%m-%dT%H:%M:%SZ') AS \"time\", {'tokens': tokens, 'model': model, "
          + "'user': \"user\"} AS data FROM (" + rows + ")) TO '" + ndjson + "' (FORMAT json)");
    }
  }

  private static UsageQuery q(String meter, String from, String to, WindowSize size, boolean bySubject) {
    return new UsageQuery(meter, Instant.parse(from), Instant.parse(to), Optional.ofNullable(size), ZoneId.of("UTC"),
        List.of(), bySubject ? List.of("subject") : List.of(), Map.of());
  }

  private static void compare(String name, TallyStore store, SparkUsageEngine spark, Connection duck, UsageQuery q,
      String sql) throws Exception {
    UsageResult tally = store.queries().query("default", q);
    UsageResult onSpark = spark.query("default", q);
    // Row by row rather than as one JSON text: a year by subject x day is 3.6M rows, too big to render twice.
    if (tally.data().size() != onSpark.data().size()) {
      throw new IllegalStateException(name + ": Spark has " + onSpark.data().size() + " rows, the store "
          + tally.data().size());
    }
    for (int i = 0; i < tally.data().size(); i++) {
      UsageRow a = tally.data().get(i);
      UsageRow b = onSpark.data().get(i);
      if (a.value().compareTo(b.value()) != 0 || !a.windowStart().equals(b.windowStart())
          || !a.windowEnd().equals(b.windowEnd()) || !a.subject().equals(b.subject())
          || !a.groupBy().equals(b.groupBy())) {
        throw new IllegalStateException(name + ": Spark's row " + i + " " + b + " differs from the store's " + a);
      }
    }
    double t = median(() -> {
      store.queries().query("default", q);
      return null;
    });
    double d = median(() -> {
      try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(sql)) {
        long n = 0;
        while (rs.next()) {
          rs.getObject(rs.getMetaData().getColumnCount());
          n++;
        }
        if (n != tally.data().size()) {
          throw new IllegalStateException(name + ": DuckDB over Parquet has " + n + " rows, the store "
              + tally.data().size());
        }
      }
      return null;
    });
    double sp = median(() -> {
      spark.query("default", q);
      return null;
    });
    System.out.printf(Locale.ROOT, "| %s (%,d rows) | %.3f s | %.3f s | %.3f s | %.1fx | %.1fx |%n", name,
        tally.data().size(), t, d, sp, sp / d, sp / t);
  }

  private static double median(Callable<Void> work) throws Exception {
    work.call();
    double[] s = new double[RUNS];
    for (int i = 0; i < RUNS; i++) {
      long t0 = System.nanoTime();
      work.call();
      s[i] = (System.nanoTime() - t0) / 1e9;
    }
    Arrays.sort(s);
    return s[RUNS / 2];
  }
}
