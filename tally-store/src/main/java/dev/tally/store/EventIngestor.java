package dev.tally.store;

import static java.util.Objects.requireNonNull;

import dev.tally.api.ErrorCode;
import dev.tally.api.Event;
import dev.tally.api.IngestResult;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.meters.MeterValues;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Stores events exactly once, all or nothing per batch, and extracts meter values in the same transaction.
 *
 * <p>Design. A call takes one or more batches (one per API request, or one per file) and commits them together, so
 * concurrent producers can share one commit (group commit). Steps, under the store's write lock:
 * <ol>
 *   <li>Every event is appended through DuckDB's Appender to a temporary staging table (bulk, not row by row SQL),
 *       tagged with its batch, its index, and a new ingestion sequence number.</li>
 *   <li>Every meter of the batch's tenant checks the values its events carry; a batch with any misfit is dropped
 *       whole, with every problem named by event index and field.</li>
 *   <li>One transaction inserts the surviving events whose (tenant, source, id) is not stored yet (an anti-join
 *       against {@code events}, which has no primary key: at 100M events its index would not fit in memory),
 *       keeping the first of any repeats within the call, then copies the values of exactly the newly inserted events
 *       (found by their sequence range) into each meter's table, then commits. The log-first path's loader skips the
 *       anti-join: its records were checked against every stored key before they were acknowledged (see
 *       {@link #ingestAcknowledged}).</li>
 * </ol>
 * Only after the commit returns is anything reported as stored; if the commit fails, nothing is, and a retry of the
 * same events counts them once: no id is marked seen apart from the commit that stores it.
 */
public final class EventIngestor {
  private final TallyStore store;
  private long nextSeq;
  private final StatementCache statements = new StatementCache();
  /** Tenants known to exist, so that a commit needs no tenant insert; only grows (tenants are never deleted). */
  private final Set<String> knownTenants = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Run after a commit that stored events without the log's loader; see {@link #onStoredBesideTheLog}. */
  private volatile Runnable storedBesideTheLog = () -> { };

  EventIngestor(TallyStore store) {
    this.store = store;
  }

  /**
   * One batch of events of one tenant.
   *
   * @param tenant the tenant
   * @param events the events, already validated as CloudEvents
   * @param ingestTime the time of ingest, also the time of events that have none
   */
  public record Batch(String tenant, List<Event> events, Instant ingestTime) {
    public Batch {
      TallyStore.checkTenant(tenant);
      events = List.copyOf(events);
      requireNonNull(ingestTime, "ingestTime is null");
    }
  }

  /**
   * What became of one batch: a result, or the problems that rejected it whole (then nothing of it was stored).
   *
   * @param result counts, when stored
   * @param problems every problem, when rejected
   */
  public record Outcome(Optional<IngestResult> result, List<Problem> problems) {
    public Outcome {
      requireNonNull(result, "result is null");
      problems = List.copyOf(problems);
    }

    public boolean accepted() {
      return result.isPresent();
    }
  }

  void initialise() {
    store.write(c -> {
      try (Statement st = c.createStatement()) {
        // Work tables live as long as the connection and are emptied after each call: creating and dropping
        // tables on every call would cost catalog changes on the hot path of every API request.
        st.execute("CREATE TEMP TABLE IF NOT EXISTS staging (batch INTEGER, idx BIGINT, tenant VARCHAR, "
            + "source VARCHAR, id VARCHAR, seq BIGINT, type VARCHAR, subject VARCHAR, ts TIMESTAMPTZ, "
            + "ingested_at TIMESTAMPTZ, data JSON, datacontenttype VARCHAR, dataschema VARCHAR)");
        st.execute("CREATE TEMP TABLE IF NOT EXISTS staged_values (seq BIGINT, batch INTEGER, idx BIGINT, "
            + "tenant VARCHAR, type VARCHAR, subject VARCHAR, ts TIMESTAMPTZ, vals JSON[])");
        st.execute("CREATE TEMP TABLE IF NOT EXISTS new_seqs (seq BIGINT)");
        try (ResultSet rs = st.executeQuery("SELECT coalesce(max(seq), 0) + 1 FROM events")) {
          rs.next();
          nextSeq = rs.getLong(1);
        }
      }
      return null;
    });
  }

  /**
   * Judges a batch alone, before it joins a shared commit: every value its tenant's meters read, by the rules of
   * {@link MeterValues}. A batch with problems should be refused at once; the commit checks again in SQL (the same
   * rules), so a meter changed in between cannot slip a misfit in.
   *
   * @return every problem, by event index; empty when the batch fits
   */
  public List<Problem> check(Batch batch) {
    return MeterValues.check(store.meters().definitions(batch.tenant()), batch.events(), batch.ingestTime());
  }

  /** Stores one batch; throws {@link TallyException} with every problem if any event does not fit a meter. */
  public IngestResult ingest(String tenant, List<Event> events, Instant ingestTime) {
    Outcome o = ingestAll(List.of(new Batch(tenant, events, ingestTime))).get(0);
    if (!o.accepted()) {
      throw TallyException.invalid(o.problems().size() + " event(s) rejected; nothing was stored", o.problems());
    }
    return o.result().orElseThrow();
  }

  /** Stores several batches in one commit; each is accepted or rejected whole, independently of the others. */
  public List<Outcome> ingestAll(List<Batch> batches) {
    return ingestAll(batches, true, null, false);
  }

  /**
   * Stores already-acknowledged batches (a log loader's): no batch is refused for a value that does not fit a meter
   * (a meter may have changed since the events were judged; the event is stored and the value skipped, as a backfill
   * does), and {@code alsoInTransaction} runs inside the same DuckDB transaction, just before the commit, so that what
   * it writes (the loaded log position) commits together with the events or not at all.
   */
  public List<Outcome> ingestAcknowledged(List<Batch> batches, TallyStore.SqlWork<Void> alsoInTransaction) {
    requireNonNull(alsoInTransaction, "alsoInTransaction is null");
    return ingestAll(batches, false, alsoInTransaction, true);
  }

  /**
   * Tells the log-first write path, while it is open, of every commit that stored events by another way than its
   * loader (a file import, the demo that {@code tally serve --demo} loads): it marks their identities in its dedupe
   * index, because its loader stores without looking for them among the stored events. Runs on the committing
   * thread, after the commit, still under the write lock. {@code null} stops it.
   */
  public void onStoredBesideTheLog(Runnable r) {
    storedBesideTheLog = r == null ? () -> { } : r;
  }

  /**
   * @param known whether every event's identity is known to be new (the log's records: the dedupe index refused
   *     every stored or logged key before the record was written, and the loader commits each record once, with its
   *     log position), so that the commit need not look for it among the stored events
   */
  private List<Outcome> ingestAll(List<Batch> batches, boolean refuseMisfits, TallyStore.SqlWork<Void> also,
      boolean known) {
    if (batches.isEmpty() && also == null) {
      return List.of();
    }
    // Meters are read under the write lock, which meter changes also take: no change slips in before the commit.
    return store.write(c -> {
      Map<String, List<StoredMeter>> meters = new HashMap<>();
      for (Batch b : batches) {
        meters.computeIfAbsent(b.tenant(), t -> store.meters().list(t));
      }
      long firstSeq = nextSeq;
      long[] batchStart = new long[batches.size()];
      try {
        MeterSql.Paths paths;
        Map<Integer, List<Problem>> problems;
        try {
          stage(c, batches, batchStart);
          paths = extractValues(c, meters);
          problems = refuseMisfits ? checkValues(c, batches, meters, paths) : Map.of();
        } catch (SQLException e) {
          // Nothing is written before the commit; a failure here is the data's (see commitFailure).
          throw commitFailure(e);
        }
        long lastSeq = nextSeq;
        Map<Integer, Long> stored =
            commit(c, batches, problems.keySet(), meters, paths, firstSeq, lastSeq, also, known);
        List<Outcome> out = new ArrayList<>(batches.size());
        for (int b = 0; b < batches.size(); b++) {
          List<Problem> p = problems.get(b);
          if (p != null) {
            out.add(new Outcome(Optional.empty(), p));
          } else {
            long read = batches.get(b).events().size();
            long s = stored.getOrDefault(b, 0L);
            out.add(new Outcome(Optional.of(new IngestResult(read, s, read - s, 0)), List.of()));
          }
        }
        return out;
      } finally {
        emptyWorkTables(c);
      }
    });
  }

  private void stage(DuckDBConnection c, List<Batch> batches, long[] batchStart) throws SQLException {
    try (DuckDBAppender app = c.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "staging")) {
      for (int b = 0; b < batches.size(); b++) {
        Batch batch = batches.get(b);
        batchStart[b] = nextSeq;
        long ingestMicros = micros(batch.ingestTime());
        List<Event> events = batch.events();
        for (int i = 0; i < events.size(); i++) {
          appendRow(app, b, i, batch.tenant(), events.get(i), ingestMicros);
        }
      }
    }
  }

  private void appendRow(DuckDBAppender app, int batch, long position, String tenant, Event e, long ingestMicros)
      throws SQLException {
    app.beginRow();
    app.append(batch);
    app.append(position);
    app.append(tenant);
    app.append(e.source());
    app.append(e.id());
    app.append(nextSeq++);
    app.append(e.type());
    app.append(e.subject());
    app.appendEpochMicros(e.time().map(EventIngestor::micros).orElse(ingestMicros));
    app.appendEpochMicros(ingestMicros);
    app.append(e.data());
    appendOptional(app, e.datacontenttype());
    appendOptional(app, e.dataschema());
    app.endRow();
  }

  private void emptyWorkTables(DuckDBConnection c) throws SQLException {
    statements.get(c, "DELETE FROM staging").execute();
    statements.get(c, "DELETE FROM staged_values").execute();
    statements.get(c, "DELETE FROM new_seqs").execute();
  }

  /** Forgets prepared statements; called when meters change, since their tables are rebuilt. */
  void forgetStatements() {
    statements.clear();
  }

  /** Receives the events of a stream, each with its position in the input (a file's line or row number). */
  @FunctionalInterface
  public interface Sink {
    void accept(Event event, long position);
  }

  /** A large input fed event by event, such as a file. */
  @FunctionalInterface
  public interface EventStream {
    /**
     * Feeds every valid event to the sink.
     *
     * @return whether the stream may be committed (false when the input had problems and is all-or-nothing)
     */
    boolean feed(Sink sink) throws java.io.IOException;
  }

  /**
   * What became of a stream.
   *
   * @param result counts; {@code rejected} counts the events refused for their meter values
   * @param committed whether anything was committed (false when the stream declined, or values were refused)
   * @param valueProblems every event refused for a value that does not fit a meter, by position
   */
  public record StreamOutcome(IngestResult result, boolean committed, List<Problem> valueProblems) {
    public StreamOutcome {
      requireNonNull(result, "result is null");
      valueProblems = List.copyOf(valueProblems);
    }
  }

  /**
   * Stores a large input as one unit: every event is staged as it is read (so memory stays flat), meter values are
   * checked, and everything is committed in one transaction, or nothing is.
   *
   * @param skipInvalidValues drop events whose values do not fit a meter (and report them) instead of refusing all
   */
  public StreamOutcome ingestStream(String tenant, Instant ingestTime, EventStream stream, boolean skipInvalidValues) {
    TallyStore.checkTenant(tenant);
    return store.write(c -> {
      Map<String, List<StoredMeter>> meters = Map.of(tenant, store.meters().list(tenant));
      long firstSeq = nextSeq;
      long ingestMicros = micros(ingestTime);
      long[] count = {0};
      try {
        boolean commit;
        try (DuckDBAppender app = c.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "staging")) {
          commit = stream.feed((event, position) -> {
            try {
              appendRow(app, 0, position, tenant, event, ingestMicros);
              count[0]++;
            } catch (SQLException e) {
              throw new TallyException(ErrorCode.INTERNAL, "cannot stage event at " + position + ": " + e.getMessage(), e);
            }
          });
        } catch (java.io.IOException e) {
          throw new TallyException(ErrorCode.INVALID_INPUT, "cannot read input: " + e.getMessage(), e);
        }
        // Values are checked even when the stream declined, so that one run reports every problem of a file.
        MeterSql.Paths paths = extractValues(c, meters);
        List<Problem> problems = checkValues(c, List.of(new Batch(tenant, List.of(), ingestTime)), meters, paths)
            .getOrDefault(0, List.of());
        if (!commit || (!problems.isEmpty() && !skipInvalidValues)) {
          return new StreamOutcome(new IngestResult(count[0], 0, 0, count[0]), false, problems);
        }
        long rejected = 0;
        if (!problems.isEmpty()) {
          try (Statement st = c.createStatement()) {
            st.execute("CREATE OR REPLACE TEMP TABLE rejected_positions (idx BIGINT)");
          }
          try (DuckDBAppender app = c.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "rejected_positions")) {
            long last = Long.MIN_VALUE;
            for (Problem p : problems) {
              long idx = p.index().orElseThrow();
              if (idx != last) {
                app.beginRow();
                app.append(idx);
                app.endRow();
                rejected++;
              }
              last = idx;
            }
          }
          try (Statement st = c.createStatement()) {
            st.execute("DELETE FROM staging WHERE idx IN (SELECT idx FROM rejected_positions)");
            // Their values go too: commit may take staged_values whole when every staged event is new.
            st.execute("DELETE FROM staged_values WHERE idx IN (SELECT idx FROM rejected_positions)");
            st.execute("DROP TABLE rejected_positions");
          }
        }
        long stored = commit(c, List.of(new Batch(tenant, List.of(), ingestTime)), Set.of(), meters, paths, firstSeq,
            nextSeq).getOrDefault(0, 0L);
        long read = count[0];
        return new StreamOutcome(new IngestResult(read, stored, read - stored - rejected, rejected), true, problems);
      } finally {
        emptyWorkTables(c);
      }
    });
  }

  /**
   * Stores a whole file in one pass of SQL, or declines. {@code select} is a query (typically over one of DuckDB's
   * file readers) with the columns {@code id, source, type, subject, ts (TIMESTAMPTZ or NULL), data (JSON text),
   * datacontenttype, dataschema, ok (BOOLEAN)}, in file order; {@code ok} must hold only for rows that the exact
   * decoder would also accept (the SQL checks may be stricter, never looser).
   *
   * <p>Declining is always safe: it happens when the reader fails, any row is not {@code ok}, or any value does not
   * fit a meter, and then nothing was stored and the caller runs the exact path, which names every problem by line.
   * Otherwise every row is staged by one {@code INSERT ... SELECT} (no row crosses JDBC), numbered in file order, and
   * committed exactly as {@link #ingestStream} commits.
   *
   * @return the counts, or empty when declined
   */
  Optional<IngestResult> ingestBulk(String tenant, Instant ingestTime, String select) {
    TallyStore.checkTenant(tenant);
    return store.write(c -> {
      Map<String, List<StoredMeter>> meters = Map.of(tenant, store.meters().list(tenant));
      long firstSeq = nextSeq;
      String ingest = "make_timestamp(" + micros(ingestTime) + ")::TIMESTAMPTZ";
      try {
        long staged;
        try (Statement st = c.createStatement()) {
          // batch 0 marks a row the checks accept, 1 one they do not; idx and seq are numbered below from rowid,
          // which follows the reader's (file) order because DuckDB preserves insertion order.
          staged = st.executeUpdate("INSERT INTO staging SELECT CASE WHEN coalesce(ok, FALSE) THEN 0 ELSE 1 END, "
              + "NULL, " + Sql.literal(tenant) + ", source, id, NULL, type, subject, coalesce(ts, " + ingest
              + "), " + ingest + ", data, datacontenttype, dataschema FROM (" + select + ")");
        } catch (SQLException e) {
          return Optional.<IngestResult>empty();
        }
        try (Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE batch <> 0), min(rowid) FROM staging")) {
          rs.next();
          if (rs.getLong(1) > 0) {
            return Optional.<IngestResult>empty();
          }
          long base = rs.getLong(2);
          st.execute("UPDATE staging SET idx = rowid - " + base + " + 1, seq = rowid - " + base + " + " + firstSeq);
        }
        nextSeq = firstSeq + staged;
        MeterSql.Paths paths = extractValues(c, meters);
        Batch batch = new Batch(tenant, List.of(), ingestTime);
        if (!checkValues(c, List.of(batch), meters, paths).isEmpty()) {
          nextSeq = firstSeq;
          return Optional.<IngestResult>empty();
        }
        long stored = commit(c, List.of(batch), Set.of(), meters, paths, firstSeq, nextSeq).getOrDefault(0, 0L);
        return Optional.of(new IngestResult(staged, stored, staged - stored, 0));
      } finally {
        emptyWorkTables(c);
      }
    });
  }

  private static void appendOptional(DuckDBAppender app, Optional<String> v) throws SQLException {
    if (v.isPresent()) {
      app.append(v.get());
    } else {
      app.appendNull();
    }
  }

  /**
   * Extracts, in one pass over the staged events, every JSON path the call's meters read (see {@link MeterSql}).
   */
  private MeterSql.Paths extractValues(DuckDBConnection c, Map<String, List<StoredMeter>> meters)
      throws SQLException {
    List<dev.tally.api.Meter> all = new ArrayList<>();
    meters.values().forEach(l -> l.forEach(sm -> all.add(sm.meter())));
    MeterSql.Paths paths = MeterSql.Paths.of(all);
    Set<String> types = new LinkedHashSet<>();
    all.forEach(m -> types.add(Sql.literal(m.eventType())));
    if (!types.isEmpty()) {
      statements.get(c, "INSERT INTO staged_values " + MeterSql.valuesOf(paths, "staging",
          "seq, batch, idx, tenant, type, subject, ts") + " WHERE type IN (" + String.join(", ", types) + ")").execute();
    }
    return paths;
  }

  /** Every value that does not fit its meter, by batch. */
  private Map<Integer, List<Problem>> checkValues(DuckDBConnection c, List<Batch> batches,
      Map<String, List<StoredMeter>> meters, MeterSql.Paths paths) throws SQLException {
    Map<Integer, List<Problem>> problems = new HashMap<>();
    Set<String> tenants = new LinkedHashSet<>();
    batches.forEach(b -> tenants.add(b.tenant()));
    // One query for every meter of every tenant in the call: each round trip costs more than the check itself.
    List<String> parts = new ArrayList<>();
    List<String> params = new ArrayList<>();
    List<dev.tally.api.Meter> checked = new ArrayList<>();
    for (String tenant : tenants) {
      for (StoredMeter sm : meters.get(tenant)) {
        if (sm.meter().aggregation().needsValue()) {
          parts.add("SELECT " + checked.size() + " AS m, batch, idx, vt, v FROM ("
              + MeterSql.candidates(sm.meter(), paths, "staged_values", "batch, idx") + ") WHERE NOT "
              + MeterSql.valid(sm.meter()));
          params.add(tenant);
          checked.add(sm.meter());
        }
      }
    }
    if (parts.isEmpty()) {
      return problems;
    }
    PreparedStatement ps = statements.get(c, String.join(" UNION ALL ", parts) + " ORDER BY batch, idx, m");
    for (int i = 0; i < params.size(); i++) {
      ps.setString(i + 1, params.get(i));
    }
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        dev.tally.api.Meter m = checked.get(rs.getInt(1));
        String vt = rs.getString(4);
        Problem p = new Problem(OptionalLong.of(rs.getLong(3)), OptionalLong.empty(), MeterSql.field(m),
            MeterSql.invalidMessage(m, vt), Optional.ofNullable(rs.getString(5)));
        problems.computeIfAbsent(rs.getInt(2), k -> new ArrayList<>()).add(p);
      }
    }
    problems.values().forEach(l -> l.sort((a, b) -> Long.compare(a.index().orElse(0), b.index().orElse(0))));
    return problems;
  }

  private Map<Integer, Long> commit(DuckDBConnection c, List<Batch> batches, Set<Integer> rejected,
      Map<String, List<StoredMeter>> meters, MeterSql.Paths paths, long firstSeq, long lastSeq) throws SQLException {
    return commit(c, batches, rejected, meters, paths, firstSeq, lastSeq, null, false);
  }

  private Map<Integer, Long> commit(DuckDBConnection c, List<Batch> batches, Set<Integer> rejected,
      Map<String, List<StoredMeter>> meters, MeterSql.Paths paths, long firstSeq, long lastSeq,
      TallyStore.SqlWork<Void> also, boolean known) throws SQLException {
    Map<Integer, Long> stored = new HashMap<>();
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      if (!rejected.isEmpty()) {
        st.execute("DELETE FROM staging WHERE batch IN (" + join(rejected) + ")");
      }
      Set<String> unknown = new LinkedHashSet<>();
      batches.forEach(b -> {
        if (!knownTenants.contains(b.tenant())) {
          unknown.add(Sql.literal(b.tenant()));
        }
      });
      if (!unknown.isEmpty()) {
        st.execute("INSERT INTO tenants SELECT DISTINCT tenant, make_timestamp(" + micros(store.clock().instant())
            + ")::TIMESTAMPTZ FROM staging WHERE tenant IN (" + String.join(", ", unknown)
            + ") ON CONFLICT DO NOTHING");
      }
      boolean repeats = dropRepeatsWithinCall(c);
      // Exactly once: an event whose identity is stored is not inserted again. One hash anti-join per commit; DuckDB
      // builds it on the staged side and probes the stored keys (a scan of events' three key columns).
      long inserted = statements.get(c, "INSERT INTO events SELECT tenant, source, id, seq, type, subject, ts, "
          + "ingested_at, data, datacontenttype, dataschema FROM staging"
          + (known ? "" : " s WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.tenant = s.tenant "
          + "AND e.source = s.source AND e.id = s.id)")).executeUpdate();
      if (inserted > 0) {
        String range = "seq >= " + firstSeq + " AND seq < " + lastSeq;
        String fresh;
        if (rejected.isEmpty() && !repeats && inserted == stagedCount(c)) {
          // Every staged event was new and nothing was dropped, so every extracted value is one to keep: the
          // semi-join below would only cost time (a large import's whole key column).
          fresh = "staged_values";
        } else {
          // The events this commit added: their seq range is read from row-group metadata, not scanned.
          st.execute("INSERT INTO new_seqs SELECT seq FROM events WHERE " + range);
          fresh = "(SELECT * FROM staged_values SEMI JOIN new_seqs USING (seq))";
        }
        for (Map.Entry<String, List<StoredMeter>> e : meters.entrySet()) {
          for (StoredMeter sm : e.getValue()) {
            PreparedStatement ps = statements.get(c, MeterSql.insertValues(sm, paths, fresh));
            ps.setString(1, e.getKey());
            ps.executeUpdate();
          }
        }
        if (batches.size() - rejected.size() == 1) {
          for (int b = 0; b < batches.size(); b++) {
            if (!rejected.contains(b)) {
              stored.put(b, inserted);
            }
          }
        } else {
          try (ResultSet rs = st.executeQuery("SELECT s.batch, count(*) FROM staging s SEMI JOIN "
              + "(SELECT seq FROM events WHERE " + range + ") e ON s.seq = e.seq GROUP BY s.batch")) {
            while (rs.next()) {
              stored.put(rs.getInt(1), rs.getLong(2));
            }
          }
        }
      }
      if (also != null) {
        also.run(c);
      }
      c.commit();
      batches.forEach(b -> knownTenants.add(b.tenant()));
      if (!known && inserted > 0) {
        storedBesideTheLog.run();
      }
      return stored;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      if (e instanceof SQLException se) {
        throw commitFailure(se);
      }
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /**
   * What a failed commit means for the caller. DuckDB names the class of every error first: a conversion, range or
   * invalid-input error comes from the data and would fail again on retry, so it is the batch's problem (the server
   * isolates the batch that caused it); anything else (I/O, memory, interruption) may pass, so a retry is safe.
   */
  static TallyException commitFailure(SQLException e) {
    String m = String.valueOf(e.getMessage());
    boolean data = m.startsWith("Conversion Error") || m.startsWith("Invalid Input Error")
        || m.startsWith("Out of Range Error") || m.startsWith("Constraint Error");
    if (data) {
      String first = m.lines().findFirst().orElse(m);
      return TallyException.invalid("the store refused a value of this batch; nothing was stored: " + first,
          List.of(Problem.of("events", "hold a value the store cannot keep: " + first)));
    }
    return new TallyException(ErrorCode.UNAVAILABLE, "the events could not be committed; nothing was stored "
        + "and a retry is safe: " + m, e);
  }

  /**
   * Keeps only the first of events repeated within this call, so that which copy is stored never depends on how the
   * engine splits the insert. Repeats are rare, so a cheap check on the key columns comes first; only when it finds
   * some does the (narrow) window over keys run.
   */
  private boolean dropRepeatsWithinCall(DuckDBConnection c) throws SQLException {
    try (ResultSet rs = statements.get(c,
        "SELECT count(*) FROM (SELECT 1 FROM staging GROUP BY tenant, source, id HAVING count(*) > 1)").executeQuery()) {
      rs.next();
      if (rs.getLong(1) == 0) {
        return false;
      }
    }
    statements.get(c, "DELETE FROM staging WHERE seq IN (SELECT seq FROM (SELECT seq, row_number() OVER "
        + "(PARTITION BY tenant, source, id ORDER BY seq) AS n FROM staging) WHERE n > 1)").execute();
    return true;
  }

  private long stagedCount(DuckDBConnection c) throws SQLException {
    try (ResultSet rs = statements.get(c, "SELECT count(*) FROM staging").executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String join(Set<Integer> ints) {
    StringBuilder sb = new StringBuilder();
    for (Integer i : ints) {
      sb.append(sb.length() == 0 ? "" : ",").append(i);
    }
    return sb.toString();
  }

  static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
  }
}
