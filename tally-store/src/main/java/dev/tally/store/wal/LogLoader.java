package dev.tally.store.wal;

import static java.util.Objects.requireNonNull;

import dev.tally.store.EventIngestor;
import dev.tally.store.TallyStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves acknowledged records from the {@link EventLog} into the store in large batches, in the background.
 *
 * <p>Part of {@code tally serve}'s write path (the default; see ARCHITECTURE.md).
 *
 * <p>Each round reads the records after the loaded position (kept in the store's {@code wal_loaded} table), stores their
 * events through the ingestor's Appender path in one DuckDB transaction, and writes the new loaded position in that
 * same transaction: a crash at any moment leaves the store either before or after the whole round, and the next start
 * replays exactly the records not yet loaded. Events were judged before they were acknowledged, so a load does not
 * refuse values that no longer fit a meter (the event is stored and the value skipped). If a round still fails, its
 * records are loaded one by one, and a record that fails alone is set aside in {@code wal_failed} with the reason, in
 * the transaction that moves the position past it, so one bad record never stalls every tenant behind it. Segments
 * are removed once every record in them is loaded, after {@code beforeRemove} (the dedupe index's flush) has run.
 */
final class LogLoader implements AutoCloseable {
  private final TallyStore store;
  private final EventLog log;
  private final int maxRecords;
  private final Runnable beforeRemove;
  private final Object progress = new Object();
  private volatile long loaded;
  private volatile boolean closed;
  private Thread thread;

  private LogLoader(TallyStore store, EventLog log, int maxRecords, Runnable beforeRemove) {
    this.store = store;
    this.log = log;
    this.maxRecords = maxRecords;
    this.beforeRemove = beforeRemove;
    this.loaded = loadedPosition(store);
  }

  /** The position of the last record the store holds, as committed with it ({@code wal_loaded}). */
  static long loadedPosition(TallyStore store) {
    return store.read(c -> {
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT position FROM wal_loaded")) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  /**
   * A loader of {@code log} into {@code store}, not yet running ({@link #loadOnce} loads by hand; {@link #start} in
   * the background).
   *
   * @param maxRecords records per round (each a request's batch)
   * @param beforeRemove run before segments are removed, to make whatever else depends on them durable
   */
  public static LogLoader of(TallyStore store, EventLog log, int maxRecords, Runnable beforeRemove) {
    requireNonNull(store, "store is null");
    requireNonNull(log, "log is null");
    requireNonNull(beforeRemove, "beforeRemove is null");
    migrate(store);
    return new LogLoader(store, log, maxRecords, beforeRemove);
  }

  /** Creates the store's tables of log positions ({@code wal_loaded}, {@code wal_failed}) if they are not there. */
  static void migrate(TallyStore store) {
    store.migrate("wal", "/dev/tally/store/wal", List.of("V1__log_position.sql"), LogLoader.class);
  }

  /** Starts loading in the background, a round as soon as records are waiting, else every {@code idle}. */
  public LogLoader start(Duration idle) {
    thread = new Thread(() -> {
      while (!closed) {
        int n;
        try {
          n = loadOnce();
        } catch (RuntimeException e) {
          // The store is unavailable (closing, full disk): nothing moved; try again after a pause.
          n = 0;
        }
        if (n == 0) {
          synchronized (progress) {
            if (closed) {
              return;
            }
            try {
              progress.wait(Math.max(1, idle.toMillis()));
            } catch (InterruptedException e) {
              return;
            }
          }
        }
      }
    }, "log-loader");
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  /** The position of the last record loaded into the store. */
  public long loadedPosition() {
    return loaded;
  }

  /**
   * Loads one round; returns how many records it moved past (loaded or set aside).
   */
  public int loadOnce() {
    List<EventLog.Record> records = log.read(loaded + 1, maxRecords);
    if (records.isEmpty()) {
      return 0;
    }
    try {
      load(records);
    } catch (RuntimeException whole) {
      for (EventLog.Record r : records) {
        try {
          load(List.of(r));
        } catch (RuntimeException alone) {
          setAside(r, alone);
        }
      }
    }
    beforeRemove.run();
    log.removeUpTo(loaded);
    return records.size();
  }

  private void load(List<EventLog.Record> records) {
    List<EventIngestor.Batch> batches = new ArrayList<>(records.size());
    for (EventLog.Record r : records) {
      batches.add(LogRecords.decode(r.payload()));
    }
    long last = records.get(records.size() - 1).position();
    store.ingestor().ingestAcknowledged(batches, c -> {
      moveTo(c, last);
      return null;
    });
    advance(last);
  }

  private void setAside(EventLog.Record r, RuntimeException why) {
    store.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO wal_failed VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
        ps.setLong(1, r.position());
        ps.setObject(2, OffsetDateTime.ofInstant(store.clock().instant(), ZoneOffset.UTC));
        ps.setString(3, String.valueOf(why.getMessage()));
        ps.setBytes(4, r.payload());
        ps.executeUpdate();
      }
      moveTo(c, r.position());
      return null;
    });
    advance(r.position());
  }

  private static void moveTo(java.sql.Connection c, long position) throws java.sql.SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE wal_loaded SET position = ? WHERE position < ?")) {
      ps.setLong(1, position);
      ps.setLong(2, position);
      ps.executeUpdate();
    }
  }

  private void advance(long position) {
    synchronized (progress) {
      loaded = Math.max(loaded, position);
      progress.notifyAll();
    }
  }

  /**
   * Waits until the record at {@code position} is loaded (read-your-writes: a query waits for the position that was
   * durable when it started).
   *
   * @return whether it was loaded within the timeout
   */
  public boolean awaitLoaded(long position, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (loaded < position) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          progress.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  /** Records set aside: their positions, oldest first. */
  public List<Long> setAside() {
    return store.read(c -> {
      List<Long> out = new ArrayList<>();
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT position FROM wal_failed ORDER BY position")) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
      return out;
    });
  }

  /** Stops the background loader after its current round. */
  @Override
  public void close() {
    synchronized (progress) {
      closed = true;
      progress.notifyAll();
    }
    if (thread != null) {
      // Not interrupted: an interrupt would close the log's file channels under a round in progress.
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
