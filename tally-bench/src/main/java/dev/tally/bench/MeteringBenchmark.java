package dev.tally.bench;

import dev.tally.api.Aggregation;
import dev.tally.api.Meter;
import dev.tally.api.UsageQuery;
import dev.tally.api.WindowSize;
import dev.tally.store.EventImporter;
import dev.tally.store.Sql;
import dev.tally.store.TallyStore;
import dev.tally.store.wal.DurableIngestor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The foundation's benchmark: import throughput and query latency of Tally against DuckDB doing the same work by
 * hand, side by side in one process, as ratios.
 *
 * <p>Steps: generate N events (10k subjects over 2024) as NDJSON and Parquet with DuckDB; import each into a fresh Tally
 * store (meters applied first, so values are extracted during ingest) and load each into a plain DuckDB table with
 * DuckDB's own reader; then run SUM by subject and day (one month, whole year), UNIQUE_COUNT by month and LATEST by
 * subject through Tally's query engine and as hand-written SQL over typed columns, each fetched in full over JDBC,
 * median of five runs after one warm-up; then the disk used per million events, the write path's first start on the
 * imported store (its dedupe index of every imported identity), and peak heap and resident memory of this process.
 *
 * <p>Usage: {@code MeteringBenchmark [--events N] [--dir DIR] [--out FILE]}; see tally-bench/bench.sh.
 */
public final class MeteringBenchmark {
  private static final int RUNS = 5;

  private final long events;
  private final Path dir;
  /**
   * Whether to import NDJSON too. Without it (--parquet-only) only the Parquet file is generated and imported and the
   * queries run on that store: at 100M events the NDJSON file is 18 GB and its import spills more than this machine's
   * free disk (measured: it stopped after 6 minutes with "No space left on device" at 38 GB free).
   */
  private final boolean ndjson;
  /**
   * With --reuse-stores (and --parquet-only), the Parquet stores of an earlier run are queried as they are, without
   * importing again: the queries and the write path's first start re-measured on a 100M-event store in minutes
   * rather than the import's quarter of an hour.
   */
  private final boolean reuse;
  private final StringBuilder report = new StringBuilder();

  private MeteringBenchmark(long events, Path dir, boolean ndjson, boolean reuse) {
    this.events = events;
    this.dir = dir;
    this.ndjson = ndjson;
    this.reuse = reuse;
  }

  public static void main(String[] args) throws Exception {
    long n = 10_000_000;
    Path dir = Path.of("bench-data");
    Path out = null;
    boolean ndjson = true;
    boolean reuse = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--events" -> n = Long.parseLong(args[++i].replace("_", ""));
        case "--dir" -> dir = Path.of(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--parquet-only" -> ndjson = false;
        case "--reuse-stores" -> reuse = true;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; usage: MeteringBenchmark [--events N] [--dir DIR] [--out FILE] [--parquet-only [--reuse-stores]]");
      }
    }
    if (reuse && ndjson) {
      throw new IllegalArgumentException("--reuse-stores goes with --parquet-only");
    }
    MeteringBenchmark b = new MeteringBenchmark(n, dir, ndjson, reuse);
    b.run();
    if (out != null) {
      Files.writeString(out, b.report.toString());
    }
  }

  private void line(String s) {
    System.out.println(s);
    report.append(s).append('\n');
  }

  private void run() throws Exception {
    Files.createDirectories(dir);
    Path ndjsonFile = dir.resolve("events.ndjson");
    Path parquet = dir.resolve("events.parquet");
    line(String.format(Locale.ROOT, "# Metering benchmark: %,d events, 10,000 subjects, year 2024", events));
    line("");
    line("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, max heap "
        + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB, Java " + System.getProperty("java.version"));
    generate(ndjsonFile, parquet);
    line("");
    line("| step | Tally | DuckDB by hand | ratio (Tally / DuckDB time) |");
    line("|---|---|---|---|");

    Path queried;
    Path queriedRef;
    List<String> importPeaks = new java.util.ArrayList<>();
    if (ndjson) {
      Path tallyJson = fresh("tally-json");
      Path refJson = fresh("ref-json");
      resetPeak();
      double tJson = time(() -> importTally(tallyJson, ndjsonFile, Map.of()));
      importPeaks.add(peakRss() + " (NDJSON)");
      double rJson = time(() -> loadDuckDb(refJson, "read_json('" + ndjsonFile + "', format = 'newline_delimited')"));
      row("import NDJSON (events/s)", tJson, rJson, true);
      queried = tallyJson;
      queriedRef = refJson;
    } else {
      queried = null;
      queriedRef = null;
    }

    Path tallyPq = reuse ? dir.resolve("tally-parquet") : fresh("tally-parquet");
    Path refPq = reuse ? dir.resolve("ref-parquet") : fresh("ref-parquet");
    if (reuse) {
      line("| import Parquet | (stores of an earlier run reused: --reuse-stores) | | |");
      importPeaks.add("not measured (no import)");
    } else {
      resetPeak();
      double tPq = time(() -> importTally(tallyPq, parquet, Map.of("id", "id", "source", "'bench'", "type",
          "'ai.tokens'", "subject", "subject", "time", "time")));
      importPeaks.add(peakRss() + " (Parquet)");
      double rPq = time(() -> loadDuckDb(refPq, "read_parquet('" + parquet + "')"));
      row("import Parquet (events/s)", tPq, rPq, true);
    }
    String pqSizes = diskPerMillion(tallyPq) + " (Tally), " + diskPerMillion(refPq) + " (DuckDB's plain table)";
    if (queried == null) {
      queried = tallyPq;
      queriedRef = refPq;
    } else {
      // Sized, then dropped: only the NDJSON stores are queried, and at 100M events the four stores together would
      // need more disk than the data files themselves.
      deleteTree(tallyPq);
      deleteTree(refPq);
    }

    resetPeak();
    // Queries: Tally's store from the NDJSON import (the Parquet one with --parquet-only) against a typed table in the
    // reference database loaded from the same file.
    try (TallyStore store = TallyStore.open(queried, Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"),
        java.time.ZoneOffset.UTC));
        Connection ref = DriverManager.getConnection("jdbc:duckdb:" + queriedRef.resolve("ref.duckdb"))) {
      try (Statement st = ref.createStatement()) {
        st.execute("SET TimeZone = 'UTC'");
        // The same memory budget as Tally's store (DuckDB's own default is 80% of the machine).
        st.execute("SET memory_limit = " + Sql.literal(store.memoryLimit()));
        // The same typed columns from either reader: NDJSON's values sit in the data struct, Parquet's are columns.
        String p = ndjson ? "data." : "";
        st.execute("CREATE OR REPLACE TABLE typed AS SELECT subject, \"time\"::TIMESTAMPTZ AS ts, CAST(" + p + "tokens AS "
            + "DECIMAL(38,9)) AS tokens, " + p + "model AS model, " + p + "\"user\" AS usr FROM events");
      }
      compare("SUM by subject and day, one month", store, ref,
          query("tokens", "2024-03-01T00:00:00Z", "2024-04-01T00:00:00Z", WindowSize.DAY, true),
          "SELECT subject, date_trunc('day', ts) AS d, sum(tokens) FROM typed WHERE ts >= '2024-03-01T00:00:00Z' "
              + "AND ts < '2024-04-01T00:00:00Z' GROUP BY ALL ORDER BY ALL");
      compare("SUM by subject and day, whole year", store, ref,
          query("tokens", "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z", WindowSize.DAY, true),
          "SELECT subject, date_trunc('day', ts) AS d, sum(tokens) FROM typed WHERE ts >= '2024-01-01T00:00:00Z' "
              + "AND ts < '2025-01-01T00:00:00Z' GROUP BY ALL ORDER BY ALL");
      compare("UNIQUE_COUNT of users by month", store, ref,
          query("users", "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z", WindowSize.MONTH, false),
          "SELECT date_trunc('month', ts) AS m, count(DISTINCT usr) FROM typed WHERE ts >= '2024-01-01T00:00:00Z' "
              + "AND ts < '2025-01-01T00:00:00Z' GROUP BY ALL ORDER BY ALL");
      compare("LATEST by subject, whole year", store, ref,
          query("latest", "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z", null, true),
          "SELECT subject, arg_max(tokens, ts) FROM typed WHERE ts >= '2024-01-01T00:00:00Z' "
              + "AND ts < '2025-01-01T00:00:00Z' GROUP BY ALL ORDER BY ALL");
    }
    line("");
    line("Peak resident memory of this process during Tally's import" + (ndjson ? "s" : "") + " (before DuckDB's "
        + "reference load of the same file): " + String.join(", ", importPeaks));
    line("Peak resident memory during the queries, both databases open side by side (each DuckDB limited to "
        + "the same memory): " + peakRss());
    line("Disk per million events, " + (ndjson ? "NDJSON import: " + diskPerMillion(queried) + " (Tally's store), "
        + diskPerMillion(queriedRef) + " (DuckDB's plain table, with the typed copy the queries read); " : "")
        + "Parquet import: " + pqSizes + (ndjson ? "" : reuse ? " (DuckDB's figure with its typed copy)"
            : " (DuckDB's figure measured before its typed copy)"));
    firstServeStart(queried);
    line("");
    // The heap limit is the figure that matters (the run either fits in it or fails); summing the pools' separate
    // peaks would overstate what was ever in use at once.
    line(String.format(Locale.ROOT, "Heap limit %d MiB (-Xmx): the whole run completed within it.",
        Runtime.getRuntime().maxMemory() >> 20));
  }

  /**
   * What the first {@code tally serve} on the imported store pays: opening the write path marks every imported
   * identity in the dedupe index (a one-time pass; later starts read only what was stored since). Reports its time,
   * the index's disk per million keys and the resident memory after it.
   */
  private void firstServeStart(Path storeDir) throws Exception {
    resetPeak();
    try (TallyStore store = TallyStore.open(storeDir, Clock.systemUTC())) {
      long t0 = System.nanoTime();
      try (DurableIngestor d = DurableIngestor.open(store, DurableIngestor.SEGMENT_BYTES)) {
        double first = (System.nanoTime() - t0) / 1e9;
        line(String.format(Locale.ROOT, "Write path's first start on this store (dedupe index of %,d imported "
            + "identities): %.1f s", events, first));
      }
      long t1 = System.nanoTime();
      try (DurableIngestor d = DurableIngestor.open(store, DurableIngestor.SEGMENT_BYTES)) {
        line(String.format(Locale.ROOT, "Its second start: %.1f s; dedupe index on disk: %s; peak resident memory "
            + "of the two starts (Tally's alone, the reference closed): %s", (System.nanoTime() - t1) / 1e9,
            diskPerMillion(storeDir.resolve("dedupe")), peakRss()));
      }
    }
  }

  private String diskPerMillion(Path p) throws IOException {
    long bytes;
    try (var files = Files.walk(p)) {
      bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
    return String.format(Locale.ROOT, "%,d MiB, %.1f MiB per million", bytes >> 20,
        bytes / 1048576.0 / (events / 1e6));
  }

  private Path fresh(String name) throws IOException {
    Path p = dir.resolve(name);
    deleteTree(p);
    Files.createDirectories(p);
    return p;
  }

  private static void deleteTree(Path p) throws IOException {
    if (Files.exists(p)) {
      try (var files = Files.walk(p)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private void generate(Path ndjsonFile, Path parquet) throws SQLException {
    if ((!ndjson || Files.exists(ndjsonFile)) && Files.exists(parquet)
        && Files.exists(dir.resolve("events-" + events + ".ok"))) {
      line("Data: reusing " + (ndjson ? ndjsonFile + " and " : "") + parquet);
      return;
    }
    long secondsInYear = 366L * 86_400;
    String rows = "SELECT 'ev-' || i AS id, 'subject-' || lpad((hash(i) % 10000)::VARCHAR, 5, '0') AS subject, "
        + "TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds((i * " + secondsInYear + " // " + events + ")::BIGINT) "
        + "AS \"time\", (hash(i * 7) % 5000 + 1)::BIGINT AS tokens, "
        + "['m1','m2','m3','m4'][(hash(i) % 4 + 1)::INTEGER] AS model, 'u' || (hash(i * 13) % 50000) AS \"user\" "
        + "FROM range(" + events + ") t(i)";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
      st.execute("SET TimeZone = 'UTC'");
      long t0 = System.nanoTime();
      if (ndjson) {
        st.execute("COPY (SELECT '1.0' AS specversion, id, 'bench' AS source, 'ai.tokens' AS type, subject, "
            + "strftime(\"time\", '%Y-%m-%dT%H:%M:%SZ') AS \"time\", {'tokens': tokens, 'model': model, "
            + "'user': \"user\"} AS data FROM (" + rows + ")) TO '" + ndjsonFile + "' (FORMAT json)");
      }
      st.execute("COPY (" + rows + ") TO '" + parquet + "' (FORMAT parquet)");
      line(String.format(Locale.ROOT, "Data: generated with DuckDB in %.1f s (%s%s Parquet)",
          (System.nanoTime() - t0) / 1e9, ndjson ? size(ndjsonFile) + " NDJSON, " : "", size(parquet)));
      Files.writeString(dir.resolve("events-" + events + ".ok"), "");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String size(Path p) throws IOException {
    return Files.size(p) / (1 << 20) + " MiB";
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

  private Void importTally(Path storeDir, Path file, Map<String, String> mapping) {
    try (TallyStore store = TallyStore.open(storeDir, Clock.systemUTC())) {
      store.meters().apply("default", meters(), false);
      EventImporter.Report r = store.importer().importFile(file, new EventImporter.Options("default",
          EventImporter.Format.AUTO, mapping, false, Optional.empty(), Optional.empty()));
      if (r.result().stored() != events) {
        throw new IllegalStateException("Tally stored " + r.result() + ", expected " + events + ": " + r.problems());
      }
    }
    return null;
  }

  private Void loadDuckDb(Path dbDir, String reader) {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dbDir.resolve("ref.duckdb"));
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE events AS SELECT * FROM " + reader);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return null;
  }

  private static UsageQuery query(String meter, String from, String to, WindowSize size, boolean bySubject) {
    return new UsageQuery(meter, Instant.parse(from), Instant.parse(to), Optional.ofNullable(size), ZoneId.of("UTC"),
        List.of(), bySubject ? List.of("subject") : List.of(), Map.of());
  }

  private void compare(String name, TallyStore store, Connection ref, UsageQuery q, String sql) throws Exception {
    long[] rows = new long[2];
    double tally = median(() -> {
      rows[0] = store.queries().query("default", q).data().size();
      return null;
    });
    double hand = median(() -> {
      long n = 0;
      try (Statement st = ref.createStatement(); ResultSet rs = st.executeQuery(sql)) {
        int cols = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          for (int i = 1; i <= cols; i++) {
            rs.getObject(i);
          }
          n++;
        }
      }
      rows[1] = n;
      return null;
    });
    if (rows[0] != rows[1]) {
      throw new IllegalStateException(name + ": Tally returned " + rows[0] + " rows, the hand-written SQL " + rows[1]);
    }
    line(String.format(Locale.ROOT, "| %s (%,d rows) | %.0f ms | %.0f ms | %.2f |", name, rows[0], tally * 1000,
        hand * 1000, tally / hand));
  }

  private void row(String name, double tallySecs, double refSecs, boolean throughput) {
    if (throughput) {
      line(String.format(Locale.ROOT, "| %s | %,.0f /s (%.1f s) | %,.0f /s (%.1f s) | %.2f (Tally at %.2fx DuckDB's rate) |",
          name, events / tallySecs, tallySecs, events / refSecs, refSecs, tallySecs / refSecs, refSecs / tallySecs));
    }
  }

  private static double time(Callable<Void> work) throws Exception {
    long t0 = System.nanoTime();
    work.call();
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double median(Callable<Void> work) throws Exception {
    work.call();
    double[] t = new double[RUNS];
    for (int i = 0; i < RUNS; i++) {
      t[i] = time(work);
    }
    Arrays.sort(t);
    return t[RUNS / 2];
  }

  /**
   * Starts a new peak: the kernel's high-water mark of resident memory (VmHWM) is reset by writing 5 to
   * /proc/self/clear_refs, so each phase reports its own peak rather than the run's.
   */
  private static void resetPeak() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (IOException e) {
      // Not Linux, or not allowed: the peaks reported are then the run's so far.
    }
  }

  private static String peakRss() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("VmHWM:")) {
          return (Long.parseLong(l.replaceAll("\\D", "")) / 1024) + " MiB";
        }
      }
    } catch (IOException | NumberFormatException e) {
      return "unknown (" + e.getMessage() + ")";
    }
    return "unknown";
  }
}
