package dev.tally.store.wal;

import static java.util.Objects.requireNonNull;

import dev.tally.api.ErrorCode;
import dev.tally.api.TallyException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * An append-only log of records in segment files, durable before it acknowledges: the write-ahead log of a write path
 * that answers producers from the log and loads the columnar store later, in large batches.
 *
 * <p>Part of {@code tally serve}'s write path (the default; see ARCHITECTURE.md).
 *
 * <p>Format. Records are numbered from 1 without gaps (the record's <em>position</em>). A segment file is named by the
 * position of its first record ({@code 00000000000000000001.seg}) and holds records back to back, each a 16-byte
 * header (payload length, CRC-32C, position) and the payload; the checksum covers the position, the length and the
 * payload, so a record misplaced, cut or changed anywhere fails it. A new segment starts when the current one passes
 * {@code segmentBytes}.
 *
 * <p>Durability. {@link #append} hands the record to one writer thread and returns a future completed only after the
 * record's bytes are written and forced to the device ({@code FileChannel.force}). The writer takes every record
 * waiting when it starts a write, so concurrent producers share one {@code fsync} (group commit): the more producers,
 * the more records per sync. A future that fails means nothing about that record is promised.
 *
 * <p>Recovery ({@link #open}). Every segment is read and checked. A record that is cut short or fails its checksum at
 * the very end of the last segment is a torn write of a group that was never acknowledged (the sync had not
 * returned): it is cut off and logging continues after the last whole record. Anything else (a bad record followed
 * by more data, a bad record in an earlier segment, a gap in the positions) is corruption of acknowledged data, and
 * opening fails with a message naming the segment file and the byte offset.
 */
public final class EventLog implements AutoCloseable {
  /** Bytes before each payload: length (int), CRC-32C (int), position (long). */
  static final int HEADER = 16;

  /** Largest payload accepted; a larger length read back from a segment is corruption, not a record. */
  public static final int MAX_RECORD_BYTES = 64 << 20;

  private static final String SUFFIX = ".seg";

  private final Path dir;
  private final long segmentBytes;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private final AtomicLong syncs = new AtomicLong();
  private final List<Long> segmentStarts = new ArrayList<>();
  private final Object segmentsLock = new Object();
  private volatile long durable;
  private volatile boolean closed;
  private FileChannel current;
  private long currentSize;
  private long next;

  private record Pending(byte[] payload, CompletableFuture<Long> done) {}

  /** A record read back: its position and payload. */
  public record Record(long position, byte[] payload) {}

  private EventLog(Path dir, long segmentBytes, List<Long> starts, long next, FileChannel current, long currentSize) {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
    this.segmentStarts.addAll(starts);
    this.next = next;
    this.durable = next - 1;
    this.current = current;
    this.currentSize = currentSize;
    this.writer = new Thread(this::writeLoop, "event-log-writer");
    this.writer.setDaemon(true);
    this.writer.start();
  }

  /**
   * Opens (creating if needed) the log in {@code dir}, checking every record.
   *
   * @param segmentBytes size after which a new segment file starts
   * @throws TallyException {@link ErrorCode#INTERNAL} naming the segment and offset if the log is corrupt
   */
  public static EventLog open(Path dir, long segmentBytes) {
    requireNonNull(dir, "dir is null");
    if (segmentBytes < HEADER) {
      throw new IllegalArgumentException("segmentBytes must be at least " + HEADER);
    }
    try {
      Files.createDirectories(dir);
      List<Long> starts = segmentStarts(dir);
      long expected = starts.isEmpty() ? 1 : starts.get(0);
      long lastSize = 0;
      for (int i = 0; i < starts.size(); i++) {
        Path seg = segment(dir, starts.get(i));
        if (starts.get(i) != expected) {
          throw corrupt(seg, 0, "starts at record " + starts.get(i) + " but the previous segment ended before record "
              + expected);
        }
        Scan scan = scan(seg, expected, i == starts.size() - 1);
        expected = scan.next();
        lastSize = scan.validBytes();
      }
      FileChannel ch;
      if (starts.isEmpty()) {
        starts.add(1L);
        ch = FileChannel.open(segment(dir, 1), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        syncDirectory(dir);
      } else {
        ch = FileChannel.open(segment(dir, starts.get(starts.size() - 1)), StandardOpenOption.WRITE);
        if (ch.size() > lastSize) {
          // The torn tail: never acknowledged, so never promised. Cut it so that new records follow whole ones.
          ch.truncate(lastSize);
          ch.force(true);
        }
      }
      ch.position(lastSize);
      return new EventLog(dir, segmentBytes, starts, expected, ch, lastSize);
    } catch (IOException e) {
      throw new TallyException(ErrorCode.INTERNAL, "cannot open the event log in " + dir + ": " + e.getMessage(), e);
    }
  }

  private record Scan(long next, long validBytes) {}

  /** Checks one segment's records; returns the next position and the length of its whole records. */
  private static Scan scan(Path seg, long first, boolean last) throws IOException {
    byte[] bytes = Files.readAllBytes(seg);
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long expected = first;
    int offset = 0;
    while (offset < bytes.length) {
      String problem = null;
      int end = -1;
      if (bytes.length - offset < HEADER) {
        problem = "a record header is cut short";
      } else {
        int length = buf.getInt(offset);
        int crc = buf.getInt(offset + 4);
        long position = buf.getLong(offset + 8);
        if (length < 0 || length > MAX_RECORD_BYTES) {
          problem = "a record has an impossible length " + length;
        } else if ((long) offset + HEADER + length > bytes.length) {
          problem = "a record is cut short";
        } else if (checksum(position, length, bytes, offset + HEADER) != crc) {
          problem = "a record fails its checksum";
          end = offset + HEADER + length;
        } else if (position != expected) {
          problem = "record " + position + " stands where record " + expected + " belongs";
          end = offset + HEADER + length;
        } else {
          offset += HEADER + length;
          expected++;
          continue;
        }
      }
      // A tear is the unsynced end of the last segment: nothing but zeros (preallocated or lost pages) may follow.
      boolean tail = last && (end < 0 || zeros(bytes, end));
      if (tail && !problem.startsWith("record ")) {
        return new Scan(expected, offset);
      }
      throw corrupt(seg, offset, problem);
    }
    return new Scan(expected, offset);
  }

  private static boolean zeros(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static TallyException corrupt(Path seg, long offset, String problem) {
    return new TallyException(ErrorCode.INTERNAL, "the event log is corrupt: segment " + seg + " at byte offset "
        + offset + ": " + problem + ". Acknowledged events may be behind this point, so Tally will not start over "
        + "it; restore the segment from a backup or move it away knowingly");
  }

  static int checksum(long position, int length, byte[] payload, int from) {
    CRC32C crc = new CRC32C();
    ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(position).putInt(length);
    crc.update(head.array());
    crc.update(payload, from, length);
    return (int) crc.getValue();
  }

  private static List<Long> segmentStarts(Path dir) throws IOException {
    List<Long> starts = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String n = p.getFileName().toString();
        if (n.endsWith(SUFFIX) && n.length() == 20 + SUFFIX.length()) {
          starts.add(Long.parseLong(n.substring(0, 20)));
        }
      }
    }
    starts.sort(null);
    return starts;
  }

  static Path segment(Path dir, long first) {
    return dir.resolve(String.format("%020d%s", first, SUFFIX));
  }

  /**
   * Appends one record; the future completes with its position once it is durable, or fails if it could not be
   * written (then nothing about it is promised, and the log refuses further appends).
   */
  public CompletableFuture<Long> append(byte[] payload) {
    requireNonNull(payload, "payload is null");
    if (payload.length > MAX_RECORD_BYTES) {
      throw new IllegalArgumentException("a record is at most " + MAX_RECORD_BYTES + " bytes");
    }
    CompletableFuture<Long> done = new CompletableFuture<>();
    if (closed) {
      done.completeExceptionally(new TallyException(ErrorCode.UNAVAILABLE, "the event log is closed"));
      return done;
    }
    queue.add(new Pending(payload, done));
    return done;
  }

  private void writeLoop() {
    List<Pending> group = new ArrayList<>();
    while (true) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closed) {
            return;
          }
          continue;
        }
        group.add(first);
        queue.drainTo(group);
        writeGroup(group);
      } catch (InterruptedException e) {
        fail(group, e);
        return;
      } catch (IOException | RuntimeException e) {
        // A failed write or sync leaves the file's end unknown: refuse everything from here on rather than guess.
        closed = true;
        fail(group, e);
        List<Pending> rest = new ArrayList<>();
        queue.drainTo(rest);
        fail(rest, e);
        return;
      }
      group.clear();
    }
  }

  private void writeGroup(List<Pending> group) throws IOException {
    long[] positions = new long[group.size()];
    int i = 0;
    int pendingBytes = 0;
    List<ByteBuffer> bufs = new ArrayList<>();
    for (Pending p : group) {
      if (currentSize > 0 && currentSize + pendingBytes >= segmentBytes) {
        flush(bufs);
        pendingBytes = 0;
        roll();
      }
      long position = next++;
      ByteBuffer b = ByteBuffer.allocate(HEADER + p.payload().length).order(ByteOrder.LITTLE_ENDIAN);
      b.putInt(p.payload().length).putInt(checksum(position, p.payload().length, p.payload(), 0)).putLong(position)
          .put(p.payload()).flip();
      bufs.add(b);
      pendingBytes += b.remaining();
      positions[i++] = position;
    }
    flush(bufs);
    current.force(false);
    syncs.incrementAndGet();
    durable = next - 1;
    for (int k = 0; k < group.size(); k++) {
      group.get(k).done().complete(positions[k]);
    }
  }

  private void flush(List<ByteBuffer> bufs) throws IOException {
    for (ByteBuffer b : bufs) {
      while (b.hasRemaining()) {
        currentSize += current.write(b);
      }
    }
    bufs.clear();
  }

  /** Closes the full segment (synced) and starts the next one, named by the next record's position. */
  private void roll() throws IOException {
    current.force(false);
    current.close();
    current = FileChannel.open(segment(dir, next), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    syncDirectory(dir);
    synchronized (segmentsLock) {
      segmentStarts.add(next);
    }
    currentSize = 0;
  }

  private static void syncDirectory(Path dir) {
    // A new file's name is durable only once its directory is synced (POSIX); not every platform allows it.
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Best effort: on platforms that cannot open a directory the file system orders this itself.
    }
  }

  private static void fail(List<Pending> group, Exception e) {
    TallyException te = new TallyException(ErrorCode.UNAVAILABLE, "the event log could not write; nothing of these "
        + "records is promised and a retry is safe: " + e.getMessage(), e);
    group.forEach(p -> p.done().completeExceptionally(te));
  }

  /** The position of the last durable record (0 when the log is empty). */
  public long durablePosition() {
    return durable;
  }

  /** How many syncs the writer has made: fewer than appends when producers shared them. */
  public long syncCount() {
    return syncs.get();
  }

  /** The segments' first positions, oldest first. */
  public List<Long> segments() {
    synchronized (segmentsLock) {
      return List.copyOf(segmentStarts);
    }
  }

  /**
   * Reads the durable records from {@code from} on (at most {@code max}), in order, for a loader. Records at or before
   * the durable position are whole and checked, so reading them needs no lock on the writer.
   */
  public List<Record> read(long from, int max) {
    long upTo = durable;
    List<Record> out = new ArrayList<>();
    List<Long> starts = segments();
    try {
      for (int s = 0; s < starts.size() && out.size() < max; s++) {
        long segEnd = s + 1 < starts.size() ? starts.get(s + 1) : Long.MAX_VALUE;
        if (segEnd <= from || starts.get(s) > upTo) {
          continue;
        }
        try (FileChannel ch = FileChannel.open(segment(dir, starts.get(s)), StandardOpenOption.READ)) {
          ByteBuffer head = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
          long offset = 0;
          while (out.size() < max) {
            head.clear();
            if (ch.read(head, offset) < HEADER) {
              break;
            }
            int length = head.getInt(0);
            long position = head.getLong(8);
            if (position > upTo) {
              break;
            }
            if (position >= from) {
              ByteBuffer payload = ByteBuffer.allocate(length);
              while (payload.hasRemaining() && ch.read(payload, offset + HEADER + payload.position()) > 0) {
                // read until full
              }
              out.add(new Record(position, payload.array()));
            }
            offset += HEADER + length;
          }
        }
      }
    } catch (IOException e) {
      throw new TallyException(ErrorCode.INTERNAL, "cannot read the event log in " + dir + ": " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * Deletes every segment all of whose records are at or before {@code position} (loaded into the store); the
   * segment being written is never deleted.
   *
   * @return how many segments were deleted
   */
  public int removeUpTo(long position) {
    int removed = 0;
    while (true) {
      long first;
      synchronized (segmentsLock) {
        if (segmentStarts.size() < 2 || segmentStarts.get(1) - 1 > position) {
          return removed;
        }
        first = segmentStarts.get(0);
      }
      try {
        Files.deleteIfExists(segment(dir, first));
      } catch (IOException e) {
        throw new TallyException(ErrorCode.INTERNAL, "cannot remove log segment " + segment(dir, first) + ": " + e, e);
      }
      synchronized (segmentsLock) {
        segmentStarts.remove(0);
      }
      removed++;
    }
  }

  /** Stops the writer after the records already handed to it are durable, and closes the segment. */
  @Override
  public void close() {
    closed = true;
    try {
      writer.join();
      // An append that raced with closing may have queued after the writer's last look: refuse it, never drop it.
      List<Pending> late = new ArrayList<>();
      queue.drainTo(late);
      fail(late, new IOException("the event log is closed"));
      current.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new TallyException(ErrorCode.INTERNAL, "cannot close the event log: " + e.getMessage(), e);
    }
  }
}
