package dev.tally.store.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.api.Aggregation;
import dev.tally.api.Event;
import dev.tally.api.Meter;
import dev.tally.api.UsageQuery;
import dev.tally.store.EventIngestor;
import dev.tally.store.TallyStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader on a real store and log: records left unloaded at a stop are loaded at the next start with every figure
 * right, a bad record is set aside without stalling the rest, and a SIGKILL in the middle of a round loses nothing
 * and counts nothing twice.
 */
class LogLoaderTest {
  @TempDir Path dir;

  static final Instant DAY = Instant.parse("2024-03-01T00:00:00Z");

  static List<Meter> meters() {
    return List.of(
        new Meter("tokens", "", "ai", Aggregation.SUM, Optional.of("$.tokens"), Map.of(), Optional.empty()),
        new Meter("calls", "", "ai", Aggregation.COUNT, Optional.empty(), Map.of(), Optional.empty()));
  }

  /** Record {@code r}'s batch: {@code n} events of tenant {@code t}, tokens 1..n, ids unique per record. */
  static EventIngestor.Batch batch(String tenant, int r, int n) {
    List<Event> events = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      events.add(Event.of("r" + r + "-" + i, "src", "ai", "cust-" + (i % 3), DAY.plusSeconds(i),
          "{\"tokens\":" + i + "}"));
    }
    return new EventIngestor.Batch(tenant, events, DAY);
  }

  static BigDecimal figure(TallyStore store, String tenant, String meter) {
    var rows = store.queries().query(tenant, new UsageQuery(meter, DAY, DAY.plusSeconds(86_400), Optional.empty(),
        ZoneId.of("UTC"), List.of(), List.of(), Map.of())).data();
    return rows.isEmpty() ? BigDecimal.ZERO : rows.get(0).value();
  }

  static TallyStore openStore(Path dir) {
    TallyStore store = TallyStore.open(dir.resolve("store"), Clock.systemUTC());
    store.meters().apply("a", meters(), false);
    store.meters().apply("b", meters(), false);
    return store;
  }

  @Test
  void recordsLeftUnloadedAtAStopAreLoadedAtTheNextStartWithEveryFigureRight() throws Exception {
    try (TallyStore store = openStore(dir); EventLog log = EventLog.open(dir.resolve("log"), 2048)) {
      LogLoader.of(store, log, 100, () -> {});
      for (int r = 1; r <= 20; r++) {
        log.append(LogRecords.encode(batch(r % 2 == 0 ? "a" : "b", r, 10))).get();
      }
      // Stopped before any load: the figures are not there yet.
      assertThat(figure(store, "a", "calls")).isEqualByComparingTo("0");
    }
    try (TallyStore store = openStore(dir); EventLog log = EventLog.open(dir.resolve("log"), 2048)) {
      LogLoader loader = LogLoader.of(store, log, 7, () -> {});
      assertThat(loader.loadedPosition()).isZero();
      int segmentsBefore = log.segments().size();
      try (loader) {
        loader.start(Duration.ofMillis(5));
        assertThat(loader.awaitLoaded(20, Duration.ofSeconds(30))).isTrue();
      }
      assertThat(figure(store, "a", "calls")).isEqualByComparingTo("100");
      assertThat(figure(store, "b", "calls")).isEqualByComparingTo("100");
      assertThat(figure(store, "a", "tokens")).isEqualByComparingTo("550");
      assertThat(segmentsBefore).isGreaterThan(1);
      assertThat(log.segments()).hasSize(1);
    }
    try (TallyStore store = openStore(dir); EventLog log = EventLog.open(dir.resolve("log"), 2048)) {
      LogLoader loader = LogLoader.of(store, log, 7, () -> {});
      assertThat(loader.loadedPosition()).isEqualTo(20);
      assertThat(loader.loadOnce()).isZero();
      assertThat(figure(store, "b", "tokens")).isEqualByComparingTo("550");
    }
  }

  @Test
  void aRecordThatCannotBeLoadedIsSetAsideAndTheRestGoesOn() throws Exception {
    try (TallyStore store = openStore(dir); EventLog log = EventLog.open(dir.resolve("log"), 1 << 20)) {
      LogLoader loader = LogLoader.of(store, log, 100, () -> {});
      log.append(LogRecords.encode(batch("a", 1, 5))).get();
      log.append(new byte[] {9, 9, 9}).get();
      log.append(LogRecords.encode(batch("a", 3, 5))).get();
      assertThat(loader.loadOnce()).isEqualTo(3);
      assertThat(loader.loadedPosition()).isEqualTo(3);
      assertThat(loader.setAside()).containsExactly(2L);
      assertThat(figure(store, "a", "calls")).isEqualByComparingTo("10");
    }
  }

  /**
   * Kills a loading JVM with SIGKILL at a different moment each time (in the first rounds, in the middle, near the
   * end, while segments are removed), then loads the rest: every event exactly once.
   */
  @RepeatedTest(5)
  void aKillInTheMiddleOfARoundLosesNothingAndCountsNothingTwice(RepetitionInfo rep) throws Exception {
    int records = 60;
    int perRecord = 500;
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), LoadUntilKilled.class.getName(), dir.toString(),
        Integer.toString(records), Integer.toString(perRecord))
        .redirectErrorStream(true).start();
    int killAfterRounds = 1 + (rep.getCurrentRepetition() - 1) * 3;
    int rounds = 0;
    StringBuilder seen = new StringBuilder();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        seen.append(line).append('\n');
        if (line.startsWith("loaded ") && ++rounds >= killAfterRounds) {
          // The child is already in its next round (it prints, then loads at once).
          new ProcessBuilder("kill", "-KILL", Long.toString(p.pid())).start().waitFor();
          break;
        }
      }
    }
    p.waitFor();
    assertThat(rounds).as(seen.toString()).isGreaterThanOrEqualTo(killAfterRounds);
    try (TallyStore store = openStore(dir); EventLog log = EventLog.open(dir.resolve("log"), 64 << 10)) {
      LogLoader loader = LogLoader.of(store, log, 4, () -> {});
      while (loader.loadOnce() > 0) {
        // load the rest
      }
      assertThat(loader.loadedPosition()).isEqualTo(records);
      long perTenant = (long) records / 2 * perRecord;
      assertThat(figure(store, "a", "calls")).isEqualByComparingTo(BigDecimal.valueOf(perTenant));
      assertThat(figure(store, "b", "calls")).isEqualByComparingTo(BigDecimal.valueOf(perTenant));
      long tokens = (long) records / 2 * ((long) perRecord * (perRecord + 1) / 2);
      assertThat(figure(store, "a", "tokens")).isEqualByComparingTo(BigDecimal.valueOf(tokens));
    }
  }

  /** Appends the records (durable), then loads them in rounds of 4, printing each round, until killed. */
  public static final class LoadUntilKilled {
    public static void main(String[] args) throws Exception {
      Path dir = Path.of(args[0]);
      int records = Integer.parseInt(args[1]);
      int perRecord = Integer.parseInt(args[2]);
      TallyStore store = openStore(dir);
      EventLog log = EventLog.open(dir.resolve("log"), 64 << 10);
      LogLoader loader = LogLoader.of(store, log, 4, () -> {});
      for (int r = 1; r <= records; r++) {
        log.append(LogRecords.encode(batch(r % 2 == 0 ? "a" : "b", r, perRecord))).get();
      }
      while (true) {
        int n = loader.loadOnce();
        System.out.println("loaded " + loader.loadedPosition() + " (" + n + " records)");
        System.out.flush();
        if (n == 0) {
          Thread.sleep(50);
        }
      }
    }
  }
}
