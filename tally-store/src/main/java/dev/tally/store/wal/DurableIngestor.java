package dev.tally.store.wal;

import static java.util.Objects.requireNonNull;

import dev.tally.api.ErrorCode;
import dev.tally.api.Event;
import dev.tally.api.IngestResult;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.store.EventIngestor;
import dev.tally.store.TallyStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The write path that acknowledges from a durable log and stores in the background: {@link EventLog} +
 * {@link DedupeIndex} + {@link LogLoader} over one {@link TallyStore}.
 *
 * <p>The write path of {@code tally serve} (the default; see ARCHITECTURE.md).
 *
 * <p>{@link #ingestAll}, for a group of requests' batches: (1) every batch is judged against its tenant's meters by the
 * meters' rules in Java ({@code MeterValues}, the rules the store's commit applies in SQL), and one with a misfit is
 * refused whole, naming event index and field; (2) the identities of
 * the accepted batches' events are looked up in the dedupe index, and repeats within the call keep the first; (3) one
 * log record per batch with new events is appended, and all of them share the log's group fsync; (4) only when they are
 * durable are the new identities marked seen, and the counts returned. A failure before (4) marks nothing, so a retry
 * counts each event once. Calls are serialised (one group at a time), which is what makes the look-up and the mark
 * atomic; concurrency comes from grouping many requests into one call, as the server's group committer does.
 *
 * <p>Opening recovers: the log is checked (torn tail cut, corruption refused), identities of records after the index's
 * position are marked again from the log, identities of events stored without the log (file imports) are taken from
 * the store, and the loader resumes from the store's loaded position.
 */
public final class DurableIngestor implements AutoCloseable {
  /** The log's segment size as the server runs it. */
  public static final long SEGMENT_BYTES = 64L << 20;

  /** How long a start waits for a stopped server's unloaded records to load ({@link #loadPending}). */
  public static final Duration PENDING_LOAD_WAIT = Duration.ofMinutes(10);

  /** Records per loader round. */
  public static final int LOAD_RECORDS = 2000;

  /** The fewest identities to mark at a start that are worth a progress message (about 2 s of work here). */
  static final long PROGRESS_FROM = 1_000_000;
  /** How many identities to mark between two progress messages. */
  static final long PROGRESS_EVERY = 10_000_000;

  private final TallyStore store;
  private final EventLog log;
  private final DedupeIndex index;
  private final LogLoader loader;

  private DurableIngestor(TallyStore store, EventLog log, DedupeIndex index, LogLoader loader) {
    this.store = store;
    this.log = log;
    this.index = index;
    this.loader = loader;
  }

  /**
   * Opens the log ({@code DATA/wal}) and the index ({@code DATA/dedupe}) of a store, recovers, and starts the loader.
   *
   * @param segmentBytes the log's segment size
   */
  public static DurableIngestor open(TallyStore store, long segmentBytes) {
    return open(store, segmentBytes, message -> { });
  }

  /**
   * As {@link #open(TallyStore, long)}, telling {@code progress} what takes long: the first start after a large
   * import marks every imported identity in the index (measured: 16 s for 10M events, over 3 minutes for 100M), and a
   * person starting {@code tally serve} should see why nothing answers yet.
   */
  public static DurableIngestor open(TallyStore store, long segmentBytes, Consumer<String> progress) {
    return open(store, segmentBytes, progress, PROGRESS_FROM);
  }

  static DurableIngestor open(TallyStore store, long segmentBytes, Consumer<String> progress, long progressFrom) {
    requireNonNull(store, "store is null");
    requireNonNull(progress, "progress is null");
    Path data = store.dataDir();
    EventLog log = EventLog.open(data.resolve("wal"), segmentBytes);
    DedupeIndex index;
    try {
      index = DedupeIndex.open(data.resolve("dedupe"));
    } catch (RuntimeException e) {
      log.close();
      throw e;
    }
    try {
      reindexFromLog(log, index);
      indexStoredEvents(store, index, progress, progressFrom);
      LogLoader loader = LogLoader.of(store, log, LOAD_RECORDS, index::flush);
      DurableIngestor d = new DurableIngestor(store, log, index, loader.start(Duration.ofMillis(20)));
      store.ingestor().onStoredBesideTheLog(() -> indexStoredEvents(store, index, message -> { }, Long.MAX_VALUE));
      return d;
    } catch (RuntimeException e) {
      index.close();
      log.close();
      throw e;
    }
  }

  /**
   * Loads what a server acknowledged from its log but had not loaded when it stopped (a crash, a kill), so that a
   * command opening the store directly (a query, an invoice, an export) sees every acknowledged event. Does nothing,
   * and opens neither the log's writer nor the index, when the store has no log or the log is fully loaded.
   *
   * @return how many records were loaded
   * @throws TallyException {@link ErrorCode#UNAVAILABLE} if they could not be loaded within {@code timeout}
   */
  public static long loadPending(TallyStore store, Duration timeout) {
    requireNonNull(store, "store is null");
    Path dir = store.dataDir().resolve("wal");
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    LogLoader.migrate(store);
    long loaded = LogLoader.loadedPosition(store);
    long durable;
    try (EventLog log = EventLog.open(dir, SEGMENT_BYTES)) {
      durable = log.durablePosition();
    }
    if (durable <= loaded) {
      return 0;
    }
    try (DurableIngestor d = open(store, SEGMENT_BYTES)) {
      if (!d.awaitLoaded(timeout)) {
        throw new TallyException(ErrorCode.UNAVAILABLE, "the store is still loading " + (durable - loaded)
            + " acknowledged records from its log (" + dir + ") after " + timeout.toSeconds() + " s; run the "
            + "command again to go on");
      }
    }
    return durable - loaded;
  }

  /** Marks the identities of durable records the index had not marked when the process stopped. */
  private static void reindexFromLog(EventLog log, DedupeIndex index) {
    long from = index.indexedPosition() + 1;
    while (from <= log.durablePosition()) {
      List<EventLog.Record> records = log.read(from, 1000);
      if (records.isEmpty()) {
        break;
      }
      List<DedupeIndex.Key> keys = new ArrayList<>();
      for (EventLog.Record r : records) {
        try {
          keys.addAll(keys(LogRecords.decode(r.payload())));
        } catch (IllegalArgumentException undecodable) {
          // The loader sets such a record aside; it holds no identity to mark.
        }
      }
      long last = records.get(records.size() - 1).position();
      index.markSeen(keys, last);
      from = last + 1;
    }
  }

  /**
   * Marks the identities of events stored without the log since the index last looked, so that the log refuses them
   * from now on: at open, what was stored while no server ran (file imports); while open, after each commit that
   * stored events beside the log (see {@link EventIngestor#onStoredBesideTheLog}). The loader trusts the index to
   * have refused every stored identity (the events table has no key of its own).
   */
  private static void indexStoredEvents(TallyStore store, DedupeIndex index, Consumer<String> progress,
      long progressFrom) {
    long after = index.storeSeq();
    store.read(c -> {
      long waiting;
      try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM events WHERE seq > ?")) {
        ps.setLong(1, after);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          waiting = rs.getLong(1);
        }
      }
      if (waiting >= progressFrom) {
        progress.accept(String.format(Locale.ROOT, "marking %,d identities stored without the log (a file import) in "
            + "the dedupe index; this happens once, and takes about 2 s a million events", waiting));
      }
      // No ORDER BY: sorting 100M identities took the whole memory limit (measured: 9.6 GiB resident on the first
      // start after a 100M import). So the progress mark stays where it was until the last key is marked; a start
      // stopped half way reads everything again, which only re-marks keys.
      try (PreparedStatement ps = c.prepareStatement("SELECT tenant, source, id, seq FROM events WHERE seq > ?")) {
        ps.setLong(1, after);
        try (ResultSet rs = ps.executeQuery()) {
          List<DedupeIndex.Key> keys = new ArrayList<>();
          long last = after;
          long marked = 0;
          while (rs.next()) {
            keys.add(new DedupeIndex.Key(rs.getString(1), rs.getString(2), rs.getString(3)));
            last = Math.max(last, rs.getLong(4));
            if (keys.size() == 100_000) {
              index.markStored(keys, after);
              keys.clear();
              marked += 100_000;
              if (waiting >= progressFrom && marked % PROGRESS_EVERY == 0) {
                progress.accept(String.format(Locale.ROOT, "marked %,d of %,d", marked, waiting));
              }
            }
          }
          index.markStored(keys, last);
        }
      }
      return null;
    });
  }

  private static List<DedupeIndex.Key> keys(EventIngestor.Batch b) {
    List<DedupeIndex.Key> keys = new ArrayList<>(b.events().size());
    for (Event e : b.events()) {
      keys.add(new DedupeIndex.Key(b.tenant(), e.source(), e.id()));
    }
    return keys;
  }

  /**
   * Acknowledges a group of batches once their new events are durable; see the class comment. Each batch is accepted
   * or refused whole, independently.
   *
   * @throws TallyException {@link ErrorCode#UNAVAILABLE} if the log or the index could not write (nothing was marked
   *     seen; a retry is safe)
   */
  public List<EventIngestor.Outcome> ingestAll(List<EventIngestor.Batch> batches) {
    // The meters' rules in Java (MeterValues, held to the store's SQL by its tests): no DuckDB work and no store lock
    // on the acknowledge path, which the loader needs for itself.
    Map<Integer, List<Problem>> problems = new java.util.HashMap<>();
    for (int b = 0; b < batches.size(); b++) {
      List<Problem> p = store.ingestor().check(batches.get(b));
      if (!p.isEmpty()) {
        problems.put(b, p);
      }
    }
    return acknowledge(batches, problems);
  }

  /**
   * {@link #ingestAll} for batches the caller has just judged against the meters itself, each found fitting (the
   * server judges every request in its own thread, in parallel, before grouping). What it saves is the one step of the
   * acknowledgement that would otherwise run again here, one group at a time. A meter changed in between is no
   * different from one changed just after the acknowledgement: the loader stores the event and skips a value that no
   * longer fits, as a meter's backfill does.
   */
  public List<EventIngestor.Outcome> ingestJudged(List<EventIngestor.Batch> batches) {
    return acknowledge(batches, Map.of());
  }

  private synchronized List<EventIngestor.Outcome> acknowledge(List<EventIngestor.Batch> batches,
      Map<Integer, List<Problem>> problems) {
    List<List<DedupeIndex.Key>> keysOf = new ArrayList<>();
    List<DedupeIndex.Key> all = new ArrayList<>();
    for (int b = 0; b < batches.size(); b++) {
      List<DedupeIndex.Key> k = problems.containsKey(b) ? List.of() : keys(batches.get(b));
      keysOf.add(k);
      all.addAll(k);
    }
    boolean[] seen = index.seen(all);
    Set<DedupeIndex.Key> inCall = new HashSet<>();
    List<CompletableFuture<Long>> appends = new ArrayList<>();
    List<DedupeIndex.Key> fresh = new ArrayList<>();
    long[] stored = new long[batches.size()];
    int at = 0;
    for (int b = 0; b < batches.size(); b++) {
      EventIngestor.Batch batch = batches.get(b);
      List<Event> newEvents = new ArrayList<>();
      for (int i = 0; i < keysOf.get(b).size(); i++) {
        DedupeIndex.Key k = keysOf.get(b).get(i);
        if (!seen[at++] && inCall.add(k)) {
          newEvents.add(batch.events().get(i));
          fresh.add(k);
        }
      }
      stored[b] = newEvents.size();
      if (!newEvents.isEmpty()) {
        appends.add(log.append(LogRecords.encode(
            new EventIngestor.Batch(batch.tenant(), newEvents, batch.ingestTime()))));
      }
    }
    long last = 0;
    try {
      for (CompletableFuture<Long> a : appends) {
        last = Math.max(last, a.get());
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof TallyException te ? te : new TallyException(ErrorCode.UNAVAILABLE,
          "the events could not be made durable; a retry is safe: " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TallyException(ErrorCode.UNAVAILABLE, "interrupted before the events were durable; a retry is safe");
    }
    if (!fresh.isEmpty()) {
      index.markSeen(fresh, last);
    }
    List<EventIngestor.Outcome> out = new ArrayList<>(batches.size());
    for (int b = 0; b < batches.size(); b++) {
      List<Problem> p = problems.get(b);
      if (p != null) {
        out.add(new EventIngestor.Outcome(Optional.empty(), p));
      } else {
        long read = batches.get(b).events().size();
        out.add(new EventIngestor.Outcome(Optional.of(new IngestResult(read, stored[b], read - stored[b], 0)),
            List.of()));
      }
    }
    return out;
  }

  /**
   * Read-your-writes: waits until every record durable now is loaded into the store, so that a query run after this
   * returns sees every event acknowledged before it was called.
   *
   * @return whether the store caught up within the timeout
   */
  public boolean awaitLoaded(Duration timeout) {
    return loader.awaitLoaded(log.durablePosition(), timeout);
  }

  /** The loader, for its position and the records it set aside. */
  public LogLoader loader() {
    return loader;
  }

  /** Stops loading, then closes the index and the log (records not loaded yet are loaded at the next open). */
  @Override
  public void close() {
    store.ingestor().onStoredBesideTheLog(null);
    loader.close();
    index.close();
    log.close();
  }
}
