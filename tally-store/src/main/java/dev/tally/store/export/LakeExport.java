package dev.tally.store.export;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.api.ErrorCode;
import dev.tally.api.Meter;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.json.Json;
import dev.tally.core.meters.MeterDefinitions;
import dev.tally.store.Sql;
import dev.tally.store.StoredMeter;
import dev.tally.store.TallyStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.duckdb.DuckDBConnection;

/**
 * Exports a store to a data lake: Hive-partitioned Parquet that Spark (module tally-spark), DuckDB or any other
 * engine reads, plus each tenant's meter definitions and catalogue as JSON.
 *
 * <p>Layout under the output directory:
 * <pre>
 *   events/tenant=T/date=D/part-RUN-UUID.parquet            every stored event (data as JSON text)
 *   meter_values/tenant=T/meter=M/date=D/part-...parquet    each meter's extracted values (seq, subject, ts,
 *                                                           value DECIMAL(38,9), svalue, g_0..g_n)
 *   cost_charges/tenant=T/date=D/part-...parquet            imported cost charges, FOCUS columns
 *   cost_deletions/tenant=T/part-...parquet                 (import_id, source_row) of exported charges that a
 *                                                           re-delivered bill has since replaced
 *   invoices/tenant=T/date=D/part-...parquet                final invoices (drafts still change)
 *   definitions/tenant=T/meters.json, catalog.json          the tenant's definitions, as of the last run
 *   _tally_export.json                                      what has been exported (the watermarks)
 * </pre>
 * {@code date} is the UTC date of the row's time (the event time; a charge's period start; an invoice's period
 * start): a partition filter, not a window; windows are cut by the engines in any zone.
 *
 * <p>Incremental: every data set has a watermark that only grows (events and meter values: the ingestion sequence
 * {@code seq}; charges: the import id; invoices: the finalisation time). A run exports, in one database snapshot, what
 * is past the watermarks, into new files named after the run; it never rewrites a data file. The watermarks are saved
 * only after every file is written, and a run first deletes the files of runs that never saved theirs (a crash), so
 * nothing is ever exported twice. A late event (old time, new seq) lands in a new file of its old date partition.
 *
 * <p>What the lake cannot follow without rewriting is refused with a clear message: a different {@code --from/--to}
 * than the directory was started with, and a meter whose definition changed since it was exported (its values are
 * rebuilt from the events, so they would count twice); export those to a new directory.
 */
public final class LakeExport {
  /** The state file's name inside the output directory. */
  public static final String STATE_FILE = "_tally_export.json";

  private static final DateTimeFormatter RUN_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);
  private static final Pattern PART = Pattern.compile("part-(r[0-9T]+-[0-9a-f]+)-.*\\.parquet");

  private final TallyStore store;

  public LakeExport(TallyStore store) {
    this.store = requireNonNull(store, "store is null");
  }

  /**
   * What to export.
   *
   * @param out the lake directory (created if needed)
   * @param tenant one tenant, or every tenant
   * @param from only rows at or after this instant
   * @param to only rows before this instant
   */
  public record Request(Path out, Optional<String> tenant, Optional<Instant> from, Optional<Instant> to) {
    public Request {
      requireNonNull(out, "out is null");
      requireNonNull(tenant, "tenant is null");
      requireNonNull(from, "from is null");
      requireNonNull(to, "to is null");
      tenant.ifPresent(TallyStore::checkTenant);
      if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
        throw TallyException.invalid(Problem.of("from", "must be before 'to' (" + to.get() + ")",
            from.get().toString()));
      }
    }
  }

  /** Runs one export. Two exports to the same directory at once are refused. */
  public ExportReport export(Request request) {
    Path out = request.out().toAbsolutePath().normalize();
    if (request.tenant().isPresent() && !store.tenantExists(request.tenant().get())) {
      throw new TallyException(ErrorCode.NOT_FOUND, "no tenant '" + request.tenant().get() + "' in this store",
          List.of(Problem.of("tenant", "no such tenant", request.tenant().get())));
    }
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw TallyException.invalid(Problem.of("out", "cannot create the directory: " + e.getMessage(),
          request.out().toString()));
    }
    try (FileChannel ch = FileChannel.open(out.resolve("_tally_export.lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE); FileLock lock = ch.tryLock()) {
      if (lock == null) {
        throw new TallyException(ErrorCode.CONFLICT, "another export to " + out + " is running");
      }
      return exportLocked(out, request);
    } catch (IOException e) {
      throw new TallyException(ErrorCode.INTERNAL, "cannot lock " + out + ": " + e.getMessage(), e);
    }
  }

  private ExportReport exportLocked(Path out, Request request) throws IOException {
    ObjectNode state = readState(out);
    checkRange(state, request, out);
    removeUnsavedRuns(out, state);
    String run = "r" + RUN_TIME.format(store.clock().instant()) + "-"
        + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    Map<String, Map<String, Long>> written = new LinkedHashMap<>();
    List<String> definitions = new ArrayList<>();
    List<String> tenants = request.tenant().map(List::of).orElseGet(store::tenants);
    ObjectNode tenantStates = state.with("tenants");
    // Every event acknowledged before the export began is in it (under a running server's log-first path).
    store.awaitAcknowledgedWrites();
    store.read(c -> {
      // One transaction: every data set of every tenant is read from the same snapshot.
      c.setAutoCommit(false);
      try {
        for (String tenant : tenants) {
          ObjectNode ts = tenantStates.with(tenant);
          Map<String, Long> rows = new LinkedHashMap<>();
          exportTenant(c, out, run, tenant, request, ts, rows, definitions);
          written.put(tenant, rows);
        }
        c.commit();
      } finally {
        c.setAutoCommit(true);
      }
      return null;
    });
    long files = countFiles(out, run);
    if (files > 0) {
      ((ArrayNode) state.withArray("runs")).add(run);
    }
    request.from().ifPresent(f -> state.put("from", f.toString()));
    request.to().ifPresent(t -> state.put("to", t.toString()));
    state.put("format", 1);
    writeAtomically(out.resolve(STATE_FILE), Json.json().writerWithDefaultPrettyPrinter().writeValueAsString(state));
    return new ExportReport(out, run, written, files, definitions);
  }

  private void exportTenant(DuckDBConnection c, Path out, String run, String tenant, Request request, ObjectNode ts,
      Map<String, Long> rows, List<String> definitions) throws SQLException {
    String t = Sql.literal(tenant);
    String tsRange = range("ts", request);
    long lastSeq = ts.path("eventsSeq").asLong(0);
    long maxSeq = scalar(c, "SELECT coalesce(max(seq), 0) FROM events WHERE tenant = " + t);
    String seqRange = " AND seq > " + lastSeq + " AND seq <= " + maxSeq;
    rows.put("events", copy(c, "SELECT tenant, CAST(ts AS DATE) AS date, source, id, seq, type, subject, ts, "
        + "ingested_at, CAST(data AS VARCHAR) AS data, datacontenttype, dataschema FROM events WHERE tenant = " + t
        + seqRange + tsRange, out.resolve("events"), "tenant, date", run));
    ts.put("eventsSeq", maxSeq);

    ObjectNode meterStates = ts.with("meters");
    List<Meter> defs = new ArrayList<>();
    for (StoredMeter sm : store.meters().list(tenant)) {
      Meter m = sm.meter();
      defs.add(m);
      ObjectNode definition = MeterDefinitions.toJson(m);
      JsonNode before = meterStates.path(m.slug()).path("definition");
      if (!before.isMissingNode() && !before.equals(definition)) {
        throw new TallyException(ErrorCode.CONFLICT, "meter '" + m.slug() + "' of tenant '" + tenant
            + "' changed since it was exported to " + out + "; its values were rebuilt and would count twice: "
            + "export to a new directory", List.of(Problem.of("meter", "definition changed", m.slug())));
      }
      ObjectNode ms = meterStates.with(m.slug());
      long last = ms.path("seq").asLong(0);
      StringBuilder cols = new StringBuilder();
      for (int i = 0; i < m.groupBy().size(); i++) {
        cols.append(", g_").append(i);
      }
      rows.put("meter_values/" + m.slug(), copy(c, "SELECT " + t + " AS tenant, " + Sql.literal(m.slug())
          + " AS meter, CAST(ts AS DATE) AS date, seq, subject, ts, value, svalue" + cols + " FROM " + sm.table()
          + " WHERE seq > " + last + " AND seq <= " + maxSeq + tsRange, out.resolve("meter_values"),
          "tenant, meter, date", run));
      ms.set("definition", definition);
      ms.put("seq", maxSeq);
    }
    Path defDir = out.resolve("definitions").resolve("tenant=" + tenant);
    if (writeIfChanged(defDir.resolve("meters.json"), MeterDefinitions.toJson(defs))) {
      definitions.add(out.relativize(defDir.resolve("meters.json")).toString());
    }

    if (tableExists(c, "cost_charges")) {
      exportCost(c, out, run, tenant, request, ts, rows);
    }
    if (tableExists(c, "pricing_invoices")) {
      String last = ts.path("invoicesFinalizedAt").asText("");
      String max = text(c, "SELECT CAST(max(finalized_at) AS VARCHAR) FROM pricing_invoices WHERE tenant = " + t
          + " AND status = 'final'");
      if (max != null) {
        String after = last.isEmpty() ? "" : " AND finalized_at > " + Sql.literal(last) + "::TIMESTAMPTZ";
        rows.put("invoices", copy(c, "SELECT tenant, period_start AS date, id, subscription, customer, plan, "
            + "period_start, period_end, active_start, active_end, status, number, currency, total_before_credits, "
            + "total, events_seq, CAST(doc AS VARCHAR) AS doc, content_hash, finalized_at FROM pricing_invoices "
            + "WHERE tenant = " + t + " AND status = 'final'" + after + " AND finalized_at <= " + Sql.literal(max)
            + "::TIMESTAMPTZ" + range("CAST(period_start AS TIMESTAMPTZ)", request), out.resolve("invoices"),
            "tenant, date", run));
        ts.put("invoicesFinalizedAt", max);
      }
      if (writeIfChanged(defDir.resolve("catalog.json"), catalog(c, tenant))) {
        definitions.add(out.relativize(defDir.resolve("catalog.json")).toString());
      }
    }
  }

  private void exportCost(DuckDBConnection c, Path out, String run, String tenant, Request request, ObjectNode ts,
      Map<String, Long> rows) throws SQLException {
    String t = Sql.literal(tenant);
    long last = ts.path("costImportId").asLong(0);
    long max = scalar(c, "SELECT coalesce(max(import_id), 0) FROM cost_charges WHERE tenant = " + t);
    String chargeRange = range("\"ChargePeriodStart\"", request);
    Path charges = out.resolve("cost_charges").resolve("tenant=" + tenant);
    // A re-delivered bill deletes the earlier charges it replaces. The exported copies stay; the lake records which
    // ones are gone (found by comparing the lake with the store), so readers subtract them: append-only either way.
    long lastRestated = ts.path("costRestatedBy").asLong(0);
    long restated = scalar(c, "SELECT coalesce(max(import_id), 0) FROM cost_restatements WHERE tenant = " + t);
    if (restated > lastRestated && last > 0 && Files.isDirectory(charges)) {
      String lake = Sql.literal(charges.toString().replace('\\', '/') + "/**/*.parquet");
      String deletions = "SELECT " + t + " AS tenant, l.import_id, l.source_row FROM read_parquet(" + lake
          + ", hive_partitioning = false) l WHERE NOT EXISTS (SELECT 1 FROM cost_charges s WHERE s.tenant = " + t
          + " AND s.import_id = l.import_id AND s.source_row = l.source_row)";
      Path deletedDir = out.resolve("cost_deletions").resolve("tenant=" + tenant);
      if (Files.isDirectory(deletedDir)) {
        deletions += " AND NOT EXISTS (SELECT 1 FROM read_parquet(" + Sql.literal(deletedDir.toString()
            .replace('\\', '/') + "/*.parquet") + ", hive_partitioning = false) d WHERE d.import_id = l.import_id"
            + " AND d.source_row = l.source_row)";
      }
      rows.put("cost_deletions", copy(c, deletions, out.resolve("cost_deletions"), "tenant", run));
    }
    ts.put("costRestatedBy", restated);
    rows.put("cost_charges", copy(c, "SELECT *, CAST(coalesce(\"ChargePeriodStart\", \"BillingPeriodStart\") AS DATE)"
        + " AS date FROM cost_charges WHERE tenant = " + t + " AND import_id > " + last + " AND import_id <= " + max
        + chargeRange, out.resolve("cost_charges"), "tenant, date", run));
    ts.put("costImportId", max);
  }

  /** COPY of a query to partitioned Parquet, into new files named after the run; returns the rows written. */
  private static long copy(DuckDBConnection c, String query, Path dir, String partitionBy, String run)
      throws SQLException {
    long n = scalar(c, "SELECT count(*) FROM (" + query + ")");
    if (n == 0) {
      return 0;
    }
    try (Statement st = c.createStatement()) {
      st.execute("COPY (" + query + ") TO " + Sql.literal(dir.toString()) + " (FORMAT parquet, PARTITION_BY ("
          + partitionBy + "), APPEND, FILENAME_PATTERN " + Sql.literal("part-" + run + "-{uuid}") + ")");
    }
    return n;
  }

  private static JsonNode catalog(DuckDBConnection c, String tenant) throws SQLException {
    ObjectNode root = Json.json().createObjectNode();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT section, CAST(doc AS VARCHAR) "
        + "FROM pricing_catalog WHERE tenant = " + Sql.literal(tenant) + " ORDER BY section, id")) {
      while (rs.next()) {
        try {
          if (rs.getString(1).equals("settings")) {
            root.put("gracePeriod", Json.json().readTree(rs.getString(2)).asText());
          } else {
            root.withArray(rs.getString(1)).add(Json.json().readTree(rs.getString(2)));
          }
        } catch (IOException e) {
          throw new TallyException(ErrorCode.INTERNAL, "stored catalogue entry is unreadable: " + e.getMessage(), e);
        }
      }
    }
    return root;
  }

  private static String range(String column, Request r) {
    StringBuilder sb = new StringBuilder();
    r.from().ifPresent(f -> sb.append(" AND ").append(column).append(" >= ").append(Sql.literal(f.toString()))
        .append("::TIMESTAMPTZ"));
    r.to().ifPresent(t -> sb.append(" AND ").append(column).append(" < ").append(Sql.literal(t.toString()))
        .append("::TIMESTAMPTZ"));
    return sb.toString();
  }

  private static boolean tableExists(DuckDBConnection c, String table) throws SQLException {
    return scalar(c, "SELECT count(*) FROM information_schema.tables WHERE table_name = " + Sql.literal(table)) > 0;
  }

  private static long scalar(DuckDBConnection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String text(DuckDBConnection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static ObjectNode readState(Path out) throws IOException {
    Path file = out.resolve(STATE_FILE);
    if (!Files.exists(file)) {
      return Json.json().createObjectNode();
    }
    JsonNode n = Json.json().readTree(file.toFile());
    if (!(n instanceof ObjectNode o) || n.path("format").asInt() != 1) {
      throw new TallyException(ErrorCode.CONFLICT, file + " is not an export state this Tally knows");
    }
    return o;
  }

  private static void checkRange(ObjectNode state, Request r, Path out) {
    if (!state.has("tenants")) {
      return;
    }
    String from = state.path("from").asText("");
    String to = state.path("to").asText("");
    String wantFrom = r.from().map(Instant::toString).orElse("");
    String wantTo = r.to().map(Instant::toString).orElse("");
    if (!from.equals(wantFrom) || !to.equals(wantTo)) {
      throw TallyException.invalid("this export's range differs from the one " + out + " was started with",
          List.of(Problem.of("--from/--to", "the directory holds [" + (from.isEmpty() ? "start" : from) + ", "
              + (to.isEmpty() ? "end" : to) + "); use the same range or a new directory",
              "[" + wantFrom + ", " + wantTo + ")")));
    }
  }

  /** Deletes the files of runs that wrote but never saved their watermarks (a crash or a failure mid-run). */
  private static void removeUnsavedRuns(Path out, ObjectNode state) throws IOException {
    List<String> saved = new ArrayList<>();
    state.path("runs").forEach(r -> saved.add(r.asText()));
    try (Stream<Path> files = Files.walk(out)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        Matcher m = PART.matcher(p.getFileName().toString());
        if (m.matches() && !saved.contains(m.group(1))) {
          Files.delete(p);
        }
      }
    }
  }

  private static long countFiles(Path out, String run) throws IOException {
    try (Stream<Path> files = Files.walk(out)) {
      return files.filter(p -> p.getFileName().toString().startsWith("part-" + run + "-")).count();
    }
  }

  private static boolean writeIfChanged(Path file, JsonNode content) {
    try {
      String text = Json.json().writerWithDefaultPrettyPrinter().writeValueAsString(content) + "\n";
      if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
        return false;
      }
      Files.createDirectories(file.getParent());
      writeAtomically(file, text);
      return true;
    } catch (IOException e) {
      throw new TallyException(ErrorCode.INTERNAL, "cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
