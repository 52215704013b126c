package dev.tally.store;

import static java.util.Objects.requireNonNull;

import dev.tally.api.ErrorCode;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.duckdb.DuckDBConnection;

/**
 * The embedded store: one DuckDB database file in a data directory, opened by one process at a time.
 *
 * <p>Design: DuckDB allows one writing process per file and serialises writers itself; Tally adds one in-process
 * write lock so that an ingest's multi-statement transaction (stage, check, insert, extract meter values) never
 * interleaves with another. Readers each take a duplicate connection and see a consistent snapshot (MVCC) without
 * blocking writers. Every connection runs in the UTC session time zone so that no SQL depends on the machine's zone.
 *
 * <p>The services built on this store ({@link EventIngestor}, {@link MeterStore}, {@link UsageQueryEngine},
 * {@link EventImporter}) are created through it and share its lock and clock.
 */
public final class TallyStore implements AutoCloseable {
  /** The database file's name inside the data directory. */
  public static final String DB_FILE = "tally.duckdb";

  /** Tenant ids: lower-case letters, digits, {@code _} and {@code -}. */
  public static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  /** The tenant commands use when none is named. */
  public static final String DEFAULT_TENANT = "default";

  /**
   * How much memory and which spill directory DuckDB may use.
   *
   * <p>DuckDB's own default is 80% of the machine's RAM, which on a shared laptop is the whole machine; Tally caps it at
   * {@link #DEFAULT_MEMORY_LIMIT} unless told otherwise, and lets DuckDB spill what does not fit (large imports,
   * sorts, hash joins) to a temporary directory inside the data directory, where it cleans up after itself.
   *
   * @param memoryLimit a DuckDB size such as {@code 4GB} or {@code 512MB}
   * @param tempDirectory where DuckDB spills
   */
  public record Limits(String memoryLimit, Path tempDirectory) {
    /** The default memory limit: fits beside a browser and an IDE on a 16 GB laptop. */
    public static final String DEFAULT_MEMORY_LIMIT = "4GB";

    public Limits {
      requireNonNull(memoryLimit, "memoryLimit is null");
      requireNonNull(tempDirectory, "tempDirectory is null");
      if (!memoryLimit.matches("(?i)\\s*\\d+(\\.\\d+)?\\s*([kmgt]i?b|[kmgt]|b|bytes)?\\s*")) {
        throw TallyException.invalid(Problem.of("memory limit", "must be a size such as 4GB or 512MB", memoryLimit));
      }
    }

    /**
     * The limits from the environment: {@code TALLY_MEMORY_LIMIT} (else the system property {@code tally.memoryLimit},
     * else {@link #DEFAULT_MEMORY_LIMIT}) and {@code TALLY_TEMP_DIR} (else {@code tally.tempDir}, else
     * {@code <data>/tmp}).
     */
    public static Limits fromEnvironment(Path dataDir) {
      String memory = firstSet(System.getenv("TALLY_MEMORY_LIMIT"), System.getProperty("tally.memoryLimit"),
          DEFAULT_MEMORY_LIMIT);
      String temp = firstSet(System.getenv("TALLY_TEMP_DIR"), System.getProperty("tally.tempDir"),
          dataDir.resolve("tmp").toString());
      return new Limits(memory, Path.of(temp));
    }

    private static String firstSet(String... values) {
      for (String v : values) {
        if (v != null && !v.isBlank()) {
          return v;
        }
      }
      throw new IllegalStateException("no default given");
    }
  }

  private final Path dataDir;
  private final Clock clock;
  private final DuckDBConnection conn;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final MeterStore meters;
  private final EventIngestor ingestor;
  private final UsageQueryEngine queries;
  private volatile boolean closed;
  private volatile Runnable readBarrier = () -> {};

  private TallyStore(Path dataDir, Clock clock, DuckDBConnection conn) {
    this.dataDir = dataDir;
    this.clock = clock;
    this.conn = conn;
    this.meters = new MeterStore(this);
    this.ingestor = new EventIngestor(this);
    this.queries = new UsageQueryEngine(this);
  }

  /**
   * Opens (creating if needed) the store in {@code dataDir} and applies pending schema migrations.
   *
   * @throws TallyException {@link ErrorCode#UNAVAILABLE} if another process holds the store
   */
  public static TallyStore open(Path dataDir, Clock clock) {
    requireNonNull(dataDir, "dataDir is null");
    return open(dataDir, clock, Limits.fromEnvironment(dataDir));
  }

  /**
   * Opens the store with explicit memory limits (see {@link Limits}).
   *
   * @throws TallyException {@link ErrorCode#UNAVAILABLE} if another process holds the store
   */
  public static TallyStore open(Path dataDir, Clock clock, Limits limits) {
    requireNonNull(dataDir, "dataDir is null");
    requireNonNull(clock, "clock is null");
    requireNonNull(limits, "limits is null");
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new TallyException(ErrorCode.INVALID_INPUT, "cannot create data directory " + dataDir + ": " + e, e);
    }
    Path file = dataDir.resolve(DB_FILE).toAbsolutePath();
    DuckDBConnection conn;
    try {
      Class.forName("org.duckdb.DuckDBDriver");
      conn = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file, new Properties());
    } catch (SQLException e) {
      String msg = String.valueOf(e.getMessage());
      if (msg.contains("lock") || msg.contains("Conflicting")) {
        throw new TallyException(ErrorCode.UNAVAILABLE, "the store in " + dataDir
            + " is in use by another Tally process (for example a running 'tally serve'); stop it or use its API", e);
      }
      throw new TallyException(ErrorCode.INTERNAL, "cannot open the store in " + dataDir + ": " + msg, e);
    } catch (ClassNotFoundException e) {
      throw new TallyException(ErrorCode.INTERNAL, "the DuckDB driver is missing from the build", e);
    }
    try {
      configure(conn);
      limit(conn, limits);
      Migrations.apply(conn, clock, "events", "/dev/tally/store/migrations", 
          List.of("V1__events_and_meters.sql", "V2__events_without_primary_key.sql"), TallyStore.class);
      TallyStore store = new TallyStore(dataDir, clock, conn);
      store.ingestor.initialise();
      return store;
    } catch (SQLException | RuntimeException e) {
      try {
        conn.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof TallyException te) {
        throw te;
      }
      throw new TallyException(ErrorCode.INTERNAL, "cannot prepare the store in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  private static void configure(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("SET TimeZone = 'UTC'");
    }
  }

  /** Database-wide settings: they hold for every connection of this process. */
  private static void limit(Connection c, Limits limits) throws SQLException {
    try (Statement st = c.createStatement()) {
      try {
        st.execute("SET memory_limit = " + Sql.literal(limits.memoryLimit().strip()));
      } catch (SQLException e) {
        throw TallyException.invalid(Problem.of("memory limit", "is not a size DuckDB accepts: " + e.getMessage(),
            limits.memoryLimit()));
      }
      st.execute("SET temp_directory = " + Sql.literal(limits.tempDirectory().toAbsolutePath().toString()));
    }
  }

  /** The memory limit DuckDB runs with, as DuckDB reports it. */
  public String memoryLimit() {
    return read(c -> {
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT current_setting('memory_limit')")) {
        rs.next();
        return rs.getString(1);
      }
    });
  }

  public Path dataDir() {
    return dataDir;
  }

  public Clock clock() {
    return clock;
  }

  public MeterStore meters() {
    return meters;
  }

  public EventIngestor ingestor() {
    return ingestor;
  }

  public UsageQueryEngine queries() {
    return queries;
  }

  /** Stored events as they were ingested, for listing. */
  public EventListing events() {
    return new EventListing(this);
  }

  /** An importer of event files into this store. */
  public EventImporter importer() {
    return new EventImporter(this);
  }

  /**
   * Applies a feature area's schema migrations (see {@link Migrations}); areas call this when their service is
   * created, so the store needs no knowledge of them.
   */
  public void migrate(String track, String resourceDir, List<String> scripts, Class<?> anchor) {
    write(c -> {
      Migrations.apply(c, clock, track, resourceDir, scripts, anchor);
      return null;
    });
  }

  /** Validates a tenant id. */
  public static String checkTenant(String tenant) {
    if (tenant == null || !TENANT.matcher(tenant).matches()) {
      throw TallyException.invalid(Problem.of("tenant",
          "must be 1-63 lower-case letters, digits, '_' or '-', starting with a letter or digit", tenant));
    }
    return tenant;
  }

  /** Creates the tenant if it does not exist; returns whether it was created. */
  public boolean ensureTenant(String tenant) {
    checkTenant(tenant);
    return write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO tenants VALUES (?, ?) ON CONFLICT DO NOTHING")) {
        ps.setString(1, tenant);
        ps.setObject(2, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
        return ps.executeUpdate() > 0;
      }
    });
  }

  /** Whether the tenant exists. */
  public boolean tenantExists(String tenant) {
    return read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM tenants WHERE id = ?")) {
        ps.setString(1, tenant);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    });
  }

  /** All tenant ids, sorted. */
  public List<String> tenants() {
    return read(c -> {
      List<String> out = new ArrayList<>();
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM tenants ORDER BY id")) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    });
  }

  /**
   * Sets what usage reads wait for first: a write path that acknowledges before it stores (the log-first path) sets
   * a wait for its loader, so that a query sees every event acknowledged before it started. Reset with a no-op.
   */
  public void readBarrier(Runnable barrier) {
    this.readBarrier = requireNonNull(barrier, "barrier is null");
  }

  /** Waits as the read barrier says (see {@link #readBarrier(Runnable)}); usage queries call it before they read. */
  public void awaitAcknowledgedWrites() {
    readBarrier.run();
  }

  /** Work done on a connection. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run(DuckDBConnection c) throws SQLException;
  }

  /**
   * Runs read-only work on its own connection, concurrently with other readers and with the writer. The work sees a
   * consistent snapshot.
   */
  public <T> T read(SqlWork<T> work) {
    checkOpen();
    try (DuckDBConnection c = conn.duplicate()) {
      configure(c);
      return work.run(c);
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  /**
   * Runs write work on the store's writing connection, holding the write lock. The work manages its own transaction;
   * the connection is in auto-commit mode when the work starts and must be left so.
   */
  public <T> T write(SqlWork<T> work) {
    checkOpen();
    writeLock.lock();
    try {
      return work.run(conn);
    } catch (SQLException e) {
      throw translate(e);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Runs write work inside one transaction: committed if it returns, rolled back if it throws.
   */
  public <T> T transaction(SqlWork<T> work) {
    return write(c -> {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    });
  }

  static TallyException translate(SQLException e) {
    String m = String.valueOf(e.getMessage());
    if (m.startsWith("Out of Range Error: Overflow in")) {
      // Every stored value fits DECIMAL(38,9), but a sum of many large ones can outgrow it: a limit of the data
      // asked about, not a fault of the store, so the user is told the limit rather than given an internal error.
      return TallyException.invalid("the total is too large to compute exactly: sums are exact DECIMAL(38,9), at "
          + "most 29 integer digits; query a shorter range, a smaller window or fewer groups at once",
          List.of(Problem.of("value", "the sum exceeds 29 integer digits")));
    }
    return new TallyException(ErrorCode.INTERNAL, "store error: " + m, e);
  }

  private void checkOpen() {
    if (closed) {
      throw new TallyException(ErrorCode.UNAVAILABLE, "the store is closed");
    }
  }

  /** Checkpoints (folds the write-ahead log into the database file) and closes. */
  @Override
  public void close() {
    writeLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      try (Statement st = conn.createStatement()) {
        st.execute("CHECKPOINT");
      } catch (SQLException e) {
        // The WAL still holds every committed write; the next open replays it.
      }
      conn.close();
    } catch (SQLException e) {
      throw translate(e);
    } finally {
      writeLock.unlock();
    }
  }
}
