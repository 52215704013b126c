package dev.tally.store.wal;

import static java.util.Objects.requireNonNull;

import dev.tally.api.ErrorCode;
import dev.tally.api.TallyException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The durable set of event identities {@code (tenant, source, id)} seen so far, in RocksDB: consulted before an
 * acknowledgement so that the duplicate count a producer is told is true, forever, without a primary-key index in the
 * columnar store.
 *
 * <p>Part of {@code tally serve}'s write path (the default; see ARCHITECTURE.md).
 *
 * <p>Protocol, with {@link EventLog}: check the keys ({@link #seen}); append the new events' record to the log and wait
 * until it is durable; only then {@link #markSeen} the keys with the record's position. The keys and the position
 * they reach are written in one RocksDB write batch, so the index is always "every key of records up to {@link
 * #indexedPosition()}". RocksDB's own log is not synced on each write: the event log is the record of truth, and after
 * a crash the records after {@link #indexedPosition()} are marked again from it. Before the event log's segments are
 * removed, {@link #flush} makes the index durable up to them. So an id is never marked seen without its durable record
 * (a retry after a failed write counts once, not zero times), and never forgotten once acknowledged.
 *
 * <p>Memory is bounded by RocksDB's write buffers and a fixed block cache ({@link #CACHE_BYTES}); keys sit on disk in
 * sorted, compressed files, with a Bloom filter per file so that a new key costs no disk read.
 */
public final class DedupeIndex implements AutoCloseable {
  /** RocksDB's block cache, the index's main memory use besides its write buffers. */
  public static final long CACHE_BYTES = 64L << 20;

  private static final byte[] POSITION_KEY = {0};
  private static final byte[] STORE_SEQ_KEY = {2};

  static {
    RocksDB.loadLibrary();
  }

  private final Path dir;
  private final Options options;
  private final LRUCache cache;
  private final BloomFilter bloom;
  private final RocksDB db;
  private final WriteOptions unsynced = new WriteOptions().setSync(false);

  /** One event identity. */
  public record Key(String tenant, String source, String id) {
    public Key {
      requireNonNull(tenant, "tenant is null");
      requireNonNull(source, "source is null");
      requireNonNull(id, "id is null");
    }

    /** Length-prefixed parts, so that no two identities share bytes whatever characters they hold. */
    byte[] bytes() {
      byte[] t = tenant.getBytes(StandardCharsets.UTF_8);
      byte[] s = source.getBytes(StandardCharsets.UTF_8);
      byte[] i = id.getBytes(StandardCharsets.UTF_8);
      ByteBuffer out = ByteBuffer.allocate(1 + 12 + t.length + s.length + i.length);
      out.put((byte) 1);
      out.putInt(t.length).put(t).putInt(s.length).put(s).putInt(i.length).put(i);
      return out.array();
    }
  }

  private DedupeIndex(Path dir, Options options, LRUCache cache, BloomFilter bloom, RocksDB db) {
    this.dir = dir;
    this.options = options;
    this.cache = cache;
    this.bloom = bloom;
    this.db = db;
  }

  /** Opens (creating if needed) the index in {@code dir}. */
  public static DedupeIndex open(Path dir) {
    requireNonNull(dir, "dir is null");
    LRUCache cache = new LRUCache(CACHE_BYTES);
    BloomFilter bloom = new BloomFilter(10);
    Options options = new Options().setCreateIfMissing(true)
        .setWriteBufferSize(32L << 20)
        .setMaxWriteBufferNumber(2)
        .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(bloom)
            .setCacheIndexAndFilterBlocks(true));
    try {
      Files.createDirectories(dir);
      return new DedupeIndex(dir, options, cache, bloom, RocksDB.open(options, dir.toString()));
    } catch (RocksDBException | java.io.IOException e) {
      options.close();
      cache.close();
      bloom.close();
      throw new TallyException(ErrorCode.INTERNAL, "cannot open the dedupe index in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Which of the keys are marked seen, in order. */
  public boolean[] seen(List<Key> keys) {
    if (keys.isEmpty()) {
      return new boolean[0];
    }
    List<byte[]> raw = new ArrayList<>(keys.size());
    keys.forEach(k -> raw.add(k.bytes()));
    try {
      List<byte[]> values = db.multiGetAsList(raw);
      boolean[] out = new boolean[keys.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = values.get(i) != null;
      }
      return out;
    } catch (RocksDBException e) {
      throw failure("read", e);
    }
  }

  /**
   * Marks the keys seen, together with the log position they reach, in one atomic write. Call only after the record
   * holding these events is durable in the log.
   */
  public void markSeen(List<Key> keys, long logPosition) {
    byte[] position = ByteBuffer.allocate(8).putLong(logPosition).array();
    try (WriteBatch batch = new WriteBatch()) {
      for (Key k : keys) {
        batch.put(k.bytes(), position);
      }
      batch.put(POSITION_KEY, position);
      db.write(unsynced, batch);
    } catch (RocksDBException e) {
      throw failure("write", e);
    }
  }

  /**
   * Marks keys found in the store itself (events written there without the log, such as file imports before the
   * server started), with the store's ingestion sequence they reach, in one atomic write.
   */
  public void markStored(List<Key> keys, long storeSeq) {
    byte[] seq = ByteBuffer.allocate(8).putLong(storeSeq).array();
    byte[] none = new byte[8];
    try (WriteBatch batch = new WriteBatch()) {
      for (Key k : keys) {
        batch.put(k.bytes(), none);
      }
      batch.put(STORE_SEQ_KEY, seq);
      db.write(unsynced, batch);
    } catch (RocksDBException e) {
      throw failure("write", e);
    }
  }

  /** The store's ingestion sequence up to which its events' keys are marked (0 for a new index). */
  public long storeSeq() {
    try {
      byte[] v = db.get(STORE_SEQ_KEY);
      return v == null ? 0 : ByteBuffer.wrap(v).getLong();
    } catch (RocksDBException e) {
      throw failure("read", e);
    }
  }

  /** The log position up to which every record's keys are marked (0 for a new index). */
  public long indexedPosition() {
    try {
      byte[] v = db.get(POSITION_KEY);
      return v == null ? 0 : ByteBuffer.wrap(v).getLong();
    } catch (RocksDBException e) {
      throw failure("read", e);
    }
  }

  /** Makes every mark so far durable (flushes memtables to files), before the log records behind them go. */
  public void flush() {
    try (FlushOptions f = new FlushOptions().setWaitForFlush(true)) {
      db.flush(f);
    } catch (RocksDBException e) {
      throw failure("flush", e);
    }
  }

  /** Bytes the index takes on disk. */
  public long diskBytes() {
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  private TallyException failure(String what, RocksDBException e) {
    return new TallyException(ErrorCode.UNAVAILABLE, "the dedupe index in " + dir + " could not " + what + "; "
        + "nothing was acknowledged and a retry is safe: " + e.getMessage(), e);
  }

  @Override
  public void close() {
    db.close();
    unsynced.close();
    options.close();
    cache.close();
    bloom.close();
  }
}
