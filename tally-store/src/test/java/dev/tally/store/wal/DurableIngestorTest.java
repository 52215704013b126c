package dev.tally.store.wal;

import static dev.tally.store.wal.LogLoaderTest.DAY;
import static dev.tally.store.wal.LogLoaderTest.batch;
import static dev.tally.store.wal.LogLoaderTest.figure;
import static dev.tally.store.wal.LogLoaderTest.openStore;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.api.Event;
import dev.tally.api.IngestResult;
import dev.tally.store.EventImporter;
import dev.tally.store.EventIngestor;
import dev.tally.store.TallyStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log-first write path over a real store, log and index: true counts, refusals, restarts and SIGKILL. */
class DurableIngestorTest {
  @TempDir Path dir;

  private static IngestResult result(EventIngestor.Outcome o) {
    return o.result().orElseThrow();
  }

  @Test
  void countsAreTrueAndQueriesSeeEveryAcknowledgedEventAfterWaiting() {
    try (TallyStore store = openStore(dir); DurableIngestor ingest = DurableIngestor.open(store, 4096)) {
      EventIngestor.Batch a = batch("a", 1, 10);
      List<Event> repeated = new ArrayList<>(batch("b", 2, 5).events());
      repeated.add(repeated.get(0));
      EventIngestor.Batch b = new EventIngestor.Batch("b", repeated, DAY);
      List<EventIngestor.Outcome> first = ingest.ingestAll(List.of(a, b));
      assertThat(result(first.get(0))).isEqualTo(new IngestResult(10, 10, 0, 0));
      assertThat(result(first.get(1))).isEqualTo(new IngestResult(6, 5, 1, 0));
      // The same events again, with one new: only the new one is stored.
      List<Event> again = new ArrayList<>(a.events());
      again.add(Event.of("new", "src", "ai", "cust-1", DAY, "{\"tokens\":100}"));
      assertThat(result(ingest.ingestAll(List.of(new EventIngestor.Batch("a", again, DAY))).get(0)))
          .isEqualTo(new IngestResult(11, 1, 10, 0));
      assertThat(ingest.awaitLoaded(Duration.ofSeconds(30))).isTrue();
      assertThat(figure(store, "a", "tokens")).isEqualByComparingTo("155");
      assertThat(figure(store, "b", "calls")).isEqualByComparingTo("5");
    }
  }

  @Test
  void loadPendingLoadsWhatAStoppedServerAcknowledgedAndOpensNothingWithoutALog() {
    try (TallyStore store = openStore(dir)) {
      assertThat(DurableIngestor.loadPending(store, Duration.ofSeconds(30))).isZero();
      assertThat(dir.resolve("store/wal")).doesNotExist();
      assertThat(dir.resolve("store/dedupe")).doesNotExist();
    }
    // Two acknowledged records the loader never reached, as a killed server leaves them.
    try (TallyStore store = openStore(dir)) {
      LogLoader.migrate(store);
    }
    try (EventLog log = EventLog.open(dir.resolve("store/wal"), DurableIngestor.SEGMENT_BYTES)) {
      log.append(LogRecords.encode(batch("a", 1, 10))).join();
      log.append(LogRecords.encode(batch("b", 2, 5))).join();
    }
    try (TallyStore store = openStore(dir)) {
      assertThat(DurableIngestor.loadPending(store, Duration.ofSeconds(30))).isEqualTo(2);
      assertThat(figure(store, "a", "tokens")).isEqualByComparingTo("55");
      assertThat(figure(store, "b", "calls")).isEqualByComparingTo("5");
      // Loaded once: a second call finds nothing to do.
      assertThat(DurableIngestor.loadPending(store, Duration.ofSeconds(30))).isZero();
    }
  }

  @Test
  void aMisfitIsRefusedBeforeTheAcknowledgementNamingIndexAndField() {
    try (TallyStore store = openStore(dir); DurableIngestor ingest = DurableIngestor.open(store, 4096)) {
      List<Event> events = new ArrayList<>(batch("a", 1, 3).events());
      events.add(Event.of("bad", "src", "ai", "cust-1", DAY, "{\"tokens\":\"many\"}"));
      EventIngestor.Outcome o = ingest.ingestAll(List.of(new EventIngestor.Batch("a", events, DAY))).get(0);
      assertThat(o.accepted()).isFalse();
      assertThat(o.problems()).singleElement().satisfies(p -> {
        assertThat(p.index()).hasValue(3);
        assertThat(p.field()).isEqualTo("data.tokens");
      });
      // Nothing of it was marked seen: the good events are new when sent again.
      assertThat(result(ingest.ingestAll(List.of(batch("a", 1, 3))).get(0))).isEqualTo(new IngestResult(3, 3, 0, 0));
    }
  }

  @Test
  void aStartThatMarksManyImportedIdentitiesSaysSoOnceAndOnlyThen() throws Exception {
    Path file = dir.resolve("many.ndjson");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      sb.append("{\"specversion\":\"1.0\",\"id\":\"f-").append(i).append("\",\"source\":\"src\",\"type\":\"ai\","
          + "\"subject\":\"c\",\"time\":\"2024-03-01T00:00:01Z\",\"data\":{\"tokens\":7}}\n");
    }
    Files.writeString(file, sb.toString());
    try (TallyStore store = openStore(dir)) {
      store.importer().importFile(file, EventImporter.Options.of("a"));
    }
    List<String> said = new ArrayList<>();
    // With the threshold at 3 identities rather than a million, the start after the import says what it does.
    try (TallyStore store = openStore(dir); DurableIngestor ingest = DurableIngestor.open(store, 4096, said::add, 3)) {
      assertThat(said).hasSize(1);
      assertThat(said.get(0)).contains("marking 3 identities");
    }
    try (TallyStore store = openStore(dir); DurableIngestor ingest = DurableIngestor.open(store, 4096, said::add, 3)) {
      assertThat(said).as("the second start has nothing to mark").hasSize(1);
    }
  }

  @Test
  void identitiesSurviveRestartsAndIncludeEventsImportedFromFiles() throws Exception {
    Path file = dir.resolve("old.ndjson");
    Files.writeString(file, "{\"specversion\":\"1.0\",\"id\":\"file-1\",\"source\":\"src\",\"type\":\"ai\","
        + "\"subject\":\"c\",\"time\":\"2024-03-01T00:00:01Z\",\"data\":{\"tokens\":7}}\n");
    try (TallyStore store = openStore(dir)) {
      assertThat(store.importer().importFile(file, EventImporter.Options.of("a")).result().stored()).isEqualTo(1);
    }
    try (TallyStore store = openStore(dir); DurableIngestor ingest = DurableIngestor.open(store, 4096)) {
      ingest.ingestAll(List.of(batch("a", 1, 20)));
    }
    try (TallyStore store = openStore(dir); DurableIngestor ingest = DurableIngestor.open(store, 4096)) {
      List<Event> events = new ArrayList<>(batch("a", 1, 20).events());
      events.add(Event.of("file-1", "src", "ai", "c", DAY, "{\"tokens\":7}"));
      assertThat(result(ingest.ingestAll(List.of(new EventIngestor.Batch("a", events, DAY))).get(0)))
          .isEqualTo(new IngestResult(21, 0, 21, 0));
      assertThat(ingest.awaitLoaded(Duration.ofSeconds(30))).isTrue();
      assertThat(figure(store, "a", "tokens")).isEqualByComparingTo("217");
    }
  }

  /**
   * SIGKILL of a process acknowledging from two threads while its loader loads: every acknowledged event is stored
   * exactly once after restart, and sending them again counts them all as duplicates.
   */
  @RepeatedTest(5)
  void everyAcknowledgedEventSurvivesSigkillExactlyOnce(RepetitionInfo rep) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), AcknowledgeUntilKilled.class.getName(), dir.toString())
        .redirectErrorStream(true).start();
    Set<Integer> acked = new HashSet<>();
    int wanted = 5 + 8 * rep.getCurrentRepetition();
    StringBuilder seen = new StringBuilder();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        seen.append(line).append('\n');
        if (line.startsWith("ack ")) {
          acked.add(Integer.parseInt(line.substring(4)));
          if (acked.size() >= wanted) {
            new ProcessBuilder("kill", "-KILL", Long.toString(p.pid())).start().waitFor();
            break;
          }
        }
      }
    }
    p.waitFor();
    assertThat(acked).as(seen.toString()).hasSizeGreaterThanOrEqualTo(wanted);
    try (TallyStore store = openStore(dir); DurableIngestor ingest = DurableIngestor.open(store, 1 << 16)) {
      assertThat(ingest.awaitLoaded(Duration.ofSeconds(60))).isTrue();
      long calls = figure(store, "a", "calls").longValueExact();
      // Unacknowledged records may have been durable too (killed between the sync and the answer): at least the
      // acknowledged, and each counted once, which resending every acknowledged record proves.
      assertThat(calls).isGreaterThanOrEqualTo(acked.size() * 100L);
      assertThat(calls % 100).isZero();
      List<EventIngestor.Batch> resend = new ArrayList<>();
      acked.forEach(r -> resend.add(batch("a", r, 100)));
      for (EventIngestor.Outcome o : ingest.ingestAll(resend)) {
        assertThat(result(o).stored()).isZero();
      }
      assertThat(ingest.awaitLoaded(Duration.ofSeconds(60))).isTrue();
      assertThat(figure(store, "a", "calls")).isEqualByComparingTo(BigDecimal.valueOf(calls));
    }
  }

  /** Two threads send records of 100 events (ids unique per record number) and print each acknowledged number. */
  public static final class AcknowledgeUntilKilled {
    public static void main(String[] args) {
      TallyStore store = openStore(Path.of(args[0]));
      DurableIngestor ingest = DurableIngestor.open(store, 1 << 16);
      java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
      for (int t = 0; t < 2; t++) {
        new Thread(() -> {
          while (true) {
            int r = next.incrementAndGet();
            ingest.ingestAll(List.of(batch("a", r, 100)));
            synchronized (System.out) {
              System.out.println("ack " + r);
              System.out.flush();
            }
          }
        }).start();
      }
    }
  }
}
