package dev.tally.bench;

import dev.tally.store.wal.DedupeIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The dedupe index of a store the metering benchmark filled (identities {@code default/bench/ev-<n>}), opened in a
 * process of its own: its resident memory when open and after 200,000 look-ups in groups of 10,000, half of them
 * known keys at scattered positions, half new (what a retry storm of old events costs the acknowledge path).
 *
 * <p>Usage: {@code DedupeIndexLookups STORE_DIR/dedupe N} (N: how many events the store holds).
 */
public final class DedupeIndexLookups {
  private DedupeIndexLookups() {}

  public static void main(String[] args) throws Exception {
    long n = Long.parseLong(args[1].replace("_", ""));
    System.out.println(rss("before opening"));
    try (DedupeIndex index = DedupeIndex.open(Path.of(args[0]))) {
      System.out.println(rss("opened"));
      Random r = new Random(1);
      long t0 = System.nanoTime();
      long seen = 0;
      for (int g = 0; g < 20; g++) {
        List<DedupeIndex.Key> keys = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
          keys.add(new DedupeIndex.Key("default", "bench", "ev-" + (long) (r.nextDouble() * n)));
        }
        for (int i = 0; i < 5000; i++) {
          keys.add(new DedupeIndex.Key("default", "bench", "new-" + r.nextLong()));
        }
        for (boolean b : index.seen(keys)) {
          seen += b ? 1 : 0;
        }
      }
      System.out.printf(Locale.ROOT, "200,000 look-ups (half known, scattered): %.1f s, %d known%n",
          (System.nanoTime() - t0) / 1e9, seen);
      System.out.println(rss("after the look-ups"));
    }
  }

  private static String rss(String when) throws java.io.IOException {
    String now = "";
    String peak = "";
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (l.startsWith("VmRSS:")) {
        now = Long.parseLong(l.replaceAll("\\D", "")) / 1024 + " MiB";
      } else if (l.startsWith("VmHWM:")) {
        peak = Long.parseLong(l.replaceAll("\\D", "")) / 1024 + " MiB";
      }
    }
    return when + ": resident " + now + ", peak " + peak;
  }
}
