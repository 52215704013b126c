package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.api.Aggregation;
import dev.tally.api.Event;
import dev.tally.api.IngestResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an ingest reports as stored survives the process dying right after, without a close or checkpoint: another
 * JVM ingests, prints its result, and halts; this test reopens the store and counts.
 */
class CrashDurabilityTest {
  @TempDir Path dir;

  @Test
  void acknowledgedEventsSurviveAHardStop() throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), IngestThenHalt.class.getName(), dir.toString())
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor()).as(output).isEqualTo(0);
    assertThat(output).endsWith("stored 5000");
    try (TallyStore store = TallyStore.open(dir, Clock.systemUTC())) {
      var rows = store.queries().query("default",
          Fixtures.query("n", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z")).data();
      assertThat(rows).singleElement().satisfies(r -> assertThat(r.value()).isEqualByComparingTo("5000"));
      // And the ids are remembered: sending them again stores nothing.
      assertThat(store.ingestor().ingest("default", IngestThenHalt.events(), Instant.now()))
          .isEqualTo(new IngestResult(5000, 0, 5000, 0));
    }
  }

  /** Ingests 5,000 events, reports, and halts the JVM without closing anything. */
  public static final class IngestThenHalt {
    static List<Event> events() {
      List<Event> events = new ArrayList<>();
      for (int i = 0; i < 5000; i++) {
        events.add(Event.of("e" + i, "crash", "tick", "s" + (i % 7), Instant.parse("2024-01-01T12:00:00Z"), "{}"));
      }
      return events;
    }

    public static void main(String[] args) {
      TallyStore store = TallyStore.open(Path.of(args[0]), Clock.systemUTC());
      store.meters().apply("default", List.of(Fixtures.meter("n", "tick", Aggregation.COUNT, null, Map.of())), false);
      IngestResult r = store.ingestor().ingest("default", events(), Instant.now());
      System.out.println("stored " + r.stored());
      System.out.flush();
      Runtime.getRuntime().halt(0);
    }
  }
}
