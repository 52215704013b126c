package dev.tally.bench;

import dev.tally.api.Event;
import dev.tally.core.demo.DemoData;
import dev.tally.store.TallyStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The fixed cost of one ingest call: 400 single-event calls on a store with the seven demo meters, median and p90 of
 * the last 300. Run it on two builds back to back to compare them.
 *
 * <p>Usage: {@code java -cp tally-bench/target/tally-bench.jar dev.tally.bench.IngestCallBenchmark [LABEL]}.
 */
public final class IngestCallBenchmark {
  private IngestCallBenchmark() {}

  public static void main(String[] args) throws Exception {
    String label = args.length > 0 ? args[0] : "this build";
    Path dir = Files.createTempDirectory("tally-ingest-call");
    try (TallyStore store = TallyStore.open(dir, Clock.systemUTC())) {
      store.meters().apply("demo", DemoData.meters(), false);
      int n = 400;
      long[] nanos = new long[n];
      for (int i = 0; i < n; i++) {
        Event e = Event.of("e" + i, "bench", "ai.tokens", "customer-01", Instant.parse("2024-01-01T00:00:00Z"),
            "{\"tokens\":5,\"model\":\"m\",\"direction\":\"input\",\"user\":\"u\"}");
        long t0 = System.nanoTime();
        store.ingestor().ingest("demo", List.of(e), Instant.now());
        nanos[i] = System.nanoTime() - t0;
      }
      long[] kept = Arrays.copyOfRange(nanos, 100, n);
      Arrays.sort(kept);
      System.out.printf(Locale.ROOT, "%s: median %.2f ms, p90 %.2f ms per single-event ingest call (7 meters)%n",
          label, kept[kept.length / 2] / 1e6, kept[(int) (kept.length * 0.9)] / 1e6);
    }
  }
}
