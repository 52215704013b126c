package dev.tally.bench;

import dev.tally.store.TallyStore;
import dev.tally.store.wal.DurableIngestor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;

/**
 * The write path's first start on a store filled by file imports, in a process of its own so that its resident
 * memory is Tally's alone: opening the log and the dedupe index marks every imported identity (what the first
 * {@code tally serve} after a large import does). Run it on a copy or on a store whose {@code dedupe} directory was
 * removed to measure the first start again.
 *
 * <p>Usage: {@code FirstStartBenchmark STORE_DIR}.
 */
public final class FirstStartBenchmark {
  private FirstStartBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: FirstStartBenchmark STORE_DIR");
    }
    Path dir = Path.of(args[0]);
    try (TallyStore store = TallyStore.open(dir, Clock.systemUTC())) {
      long t0 = System.nanoTime();
      try (DurableIngestor d = DurableIngestor.open(store, DurableIngestor.SEGMENT_BYTES)) {
        System.out.printf(Locale.ROOT, "first start: %.1f s%n", (System.nanoTime() - t0) / 1e9);
      }
      long t1 = System.nanoTime();
      try (DurableIngestor d = DurableIngestor.open(store, DurableIngestor.SEGMENT_BYTES)) {
        System.out.printf(Locale.ROOT, "second start: %.1f s%n", (System.nanoTime() - t1) / 1e9);
      }
    }
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (l.startsWith("VmHWM:")) {
        System.out.println("peak resident memory: " + Long.parseLong(l.replaceAll("\\D", "")) / 1024 + " MiB");
      }
    }
  }
}
