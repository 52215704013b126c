package dev.tally.store.wal;

import dev.tally.api.Event;
import dev.tally.store.EventIngestor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The payload of one log record: one acknowledged batch (a request's new events, one tenant), in a small binary form
 * with a version byte: tenant, ingest time, then each event's attributes as length-prefixed UTF-8.
 */
public final class LogRecords {
  private static final int VERSION = 1;

  private LogRecords() {}

  /** The bytes of a batch. */
  public static byte[] encode(EventIngestor.Batch batch) {
    // Written by hand into one array (no stream per record, no lock per write): this runs on the acknowledge path
    // for every event, and the loader reads it back for every event.
    Writer out = new Writer(64 + 192 * batch.events().size());
    out.writeByte(VERSION);
    out.text(batch.tenant());
    out.writeLong(batch.ingestTime().getEpochSecond());
    out.writeInt(batch.ingestTime().getNano());
    out.writeInt(batch.events().size());
    for (Event e : batch.events()) {
      out.text(e.id());
      out.text(e.source());
      out.text(e.type());
      out.text(e.subject());
      out.writeByte(e.time().isPresent() ? 1 : 0);
      if (e.time().isPresent()) {
        out.writeLong(e.time().get().getEpochSecond());
        out.writeInt(e.time().get().getNano());
      }
      out.text(e.data());
      out.optional(e.datacontenttype());
      out.optional(e.dataschema());
    }
    return out.bytes();
  }

  /**
   * The batch in a record's bytes.
   *
   * @throws IllegalArgumentException if the bytes are not a batch of this version
   */
  static EventIngestor.Batch decode(byte[] payload) {
    ByteBuffer in = ByteBuffer.wrap(payload);
    try {
      int version = Byte.toUnsignedInt(in.get());
      if (version != VERSION) {
        throw new IllegalArgumentException("log record version " + version + " is not known to this Tally");
      }
      String tenant = text(in);
      Instant ingest = Instant.ofEpochSecond(in.getLong(), in.getInt());
      int n = in.getInt();
      if (n < 0 || n > payload.length) {
        throw new IllegalArgumentException("log record claims " + n + " events");
      }
      List<Event> events = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String id = text(in);
        String source = text(in);
        String type = text(in);
        String subject = text(in);
        Optional<Instant> time = bool(in)
            ? Optional.of(Instant.ofEpochSecond(in.getLong(), in.getInt())) : Optional.empty();
        String data = text(in);
        Optional<String> dct = optional(in);
        Optional<String> ds = optional(in);
        events.add(new Event(id, source, Event.SPEC_VERSION, type, subject, time, data, dct, ds));
      }
      if (in.hasRemaining()) {
        throw new IllegalArgumentException("log record has " + in.remaining() + " bytes after its last event");
      }
      return new EventIngestor.Batch(tenant, events, ingest);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("log record is not a batch of events: " + e, e);
    }
  }

  private static boolean bool(ByteBuffer in) {
    byte b = in.get();
    if (b != 0 && b != 1) {
      throw new IllegalArgumentException("log record has " + b + " where a flag (0 or 1) belongs");
    }
    return b == 1;
  }

  private static String text(ByteBuffer in) {
    int n = in.getInt();
    if (n < 0 || n > in.remaining()) {
      throw new IllegalArgumentException("log record has a text of " + n + " bytes that runs past its end");
    }
    String s = new String(in.array(), in.position(), n, StandardCharsets.UTF_8);
    in.position(in.position() + n);
    return s;
  }

  private static Optional<String> optional(ByteBuffer in) {
    return bool(in) ? Optional.of(text(in)) : Optional.empty();
  }

  /** A growing big-endian byte array: the layout {@code DataOutputStream} wrote for version 1, without its locks. */
  private static final class Writer {
    private byte[] buf;
    private int size;

    Writer(int capacity) {
      buf = new byte[capacity];
    }

    private void room(int n) {
      if (size + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
      }
    }

    void writeByte(int b) {
      room(1);
      buf[size++] = (byte) b;
    }

    void writeInt(int v) {
      room(4);
      for (int shift = 24; shift >= 0; shift -= 8) {
        buf[size++] = (byte) (v >>> shift);
      }
    }

    void writeLong(long v) {
      room(8);
      for (int shift = 56; shift >= 0; shift -= 8) {
        buf[size++] = (byte) (v >>> shift);
      }
    }

    void text(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      writeInt(b.length);
      room(b.length);
      System.arraycopy(b, 0, buf, size, b.length);
      size += b.length;
    }

    void optional(Optional<String> v) {
      writeByte(v.isPresent() ? 1 : 0);
      v.ifPresent(this::text);
    }

    byte[] bytes() {
      return Arrays.copyOf(buf, size);
    }
  }
}
