package dev.tally.store.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.api.Event;
import dev.tally.store.EventIngestor;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The log record's payload: round trips, stays the version-1 layout that logs on disk hold, and refuses damage. */
class LogRecordsTest {
  private static final Instant INGEST = Instant.parse("2026-12-03T10:00:00.123456789Z");

  private static EventIngestor.Batch batch() {
    return new EventIngestor.Batch("acme", List.of(
        new Event("e-1", "gateway", Event.SPEC_VERSION, "ai.tokens", "kunde-ö", Optional.of(
            Instant.parse("2024-03-01T00:00:00.5Z")), "{\"tokens\":12,\"model\":\"größer\"}",
            Optional.of("application/json"), Optional.of("https://example.com/schema")),
        new Event("e-2", "gateway", Event.SPEC_VERSION, "ai.tokens", "c2", Optional.empty(), "{}", Optional.empty(),
            Optional.empty())), INGEST);
  }

  @Test
  void aBatchRoundTripsWithEveryAttribute() {
    EventIngestor.Batch b = batch();
    assertThat(LogRecords.decode(LogRecords.encode(b))).isEqualTo(b);
  }

  /** The layout of version 1 as DataOutputStream writes it, which is what earlier Tallies wrote to their logs. */
  @Test
  void theBytesAreVersionOnesLayoutSoLogsWrittenEarlierStillLoad() throws IOException {
    EventIngestor.Batch b = batch();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(1);
      text(out, "acme");
      out.writeLong(INGEST.getEpochSecond());
      out.writeInt(INGEST.getNano());
      out.writeInt(2);
      for (Event e : b.events()) {
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
        out.writeBoolean(e.datacontenttype().isPresent());
        if (e.datacontenttype().isPresent()) {
          text(out, e.datacontenttype().get());
        }
        out.writeBoolean(e.dataschema().isPresent());
        if (e.dataschema().isPresent()) {
          text(out, e.dataschema().get());
        }
      }
    }
    assertThat(LogRecords.encode(b)).isEqualTo(bytes.toByteArray());
    assertThat(LogRecords.decode(bytes.toByteArray())).isEqualTo(b);
  }

  @Test
  void aDamagedRecordIsRefusedWithAReason() {
    byte[] good = LogRecords.encode(batch());
    assertThatThrownBy(() -> LogRecords.decode(Arrays.copyOf(good, good.length - 3)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("log record");
    byte[] longer = Arrays.copyOf(good, good.length + 2);
    assertThatThrownBy(() -> LogRecords.decode(longer))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 bytes after its last event");
    byte[] version = good.clone();
    version[0] = 9;
    assertThatThrownBy(() -> LogRecords.decode(version))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 9");
  }

  private static void text(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }
}
