package dev.tally.store.wal;

import dev.tally.api.Event;
import dev.tally.store.EventIngestor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
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
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 * (1 + batch.events().size()));
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      text(out, batch.tenant());
      out.writeLong(batch.ingestTime().getEpochSecond());
      out.writeInt(batch.ingestTime().getNano());
      out.writeInt(batch.events().size());
      for (Event e : batch.events()) {
        text(out, e.id());
        text(out, e.source());
        text(out, e.type());
        text(out, e.subject());
        out.writeBoolean(e.time().isPresent());
        if (e.time().isPresent()) {
          out.writeLong(e.time().get().getEpochSecond());
          out.writeInt(e.time().get().getNano());
        }
        text(out, e.data());
        optional(out, e.datacontenttype());
        optional(out, e.dataschema());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * The batch in a record's bytes.
   *
   * @throws IllegalArgumentException if the bytes are not a batch of this version
   */
  public static EventIngestor.Batch decode(byte[] payload) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IllegalArgumentException("log record version " + version + " is not known to this Tally");
      }
      String tenant = text(in);
      Instant ingest = Instant.ofEpochSecond(in.readLong(), in.readInt());
      int n = in.readInt();
      if (n < 0 || n > payload.length) {
        throw new IllegalArgumentException("log record claims " + n + " events");
      }
      List<Event> events = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String id = text(in);
        String source = text(in);
        String type = text(in);
        String subject = text(in);
        Optional<Instant> time = in.readBoolean()
            ? Optional.of(Instant.ofEpochSecond(in.readLong(), in.readInt())) : Optional.empty();
        String data = text(in);
        Optional<String> dct = optional(in);
        Optional<String> ds = optional(in);
        events.add(new Event(id, source, Event.SPEC_VERSION, type, subject, time, data, dct, ds));
      }
      if (in.available() > 0) {
        throw new IllegalArgumentException("log record has " + in.available() + " bytes after its last event");
      }
      return new EventIngestor.Batch(tenant, events, ingest);
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException iae) {
        throw iae;
      }
      throw new IllegalArgumentException("log record is not a batch of events: " + e, e);
    }
  }

  private static void text(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String text(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new IOException("a text of " + n + " bytes runs past the record");
    }
    return new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }

  private static void optional(DataOutputStream out, Optional<String> v) throws IOException {
    out.writeBoolean(v.isPresent());
    if (v.isPresent()) {
      text(out, v.get());
    }
  }

  private static Optional<String> optional(DataInputStream in) throws IOException {
    return in.readBoolean() ? Optional.of(text(in)) : Optional.empty();
  }
}
