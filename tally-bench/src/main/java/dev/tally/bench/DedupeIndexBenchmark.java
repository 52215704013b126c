package dev.tally.bench;

import dev.tally.store.wal.DedupeIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The dedupe index at scale: marks N identities shaped like the metering benchmark's ({@code bench}, {@code ev-i}) in
 * groups of 10,000, then looks up 100,000 known and 100,000 new ones, and reports its disk use (after a flush) and the
 * process's peak resident memory and heap.
 *
 * <p>Usage: {@code DedupeIndexBenchmark [--keys 10000000] [--dir DIR]}.
 */
public final class DedupeIndexBenchmark {
  private DedupeIndexBenchmark() {}

  public static void main(String[] args) throws Exception {
    long n = 10_000_000;
    Path dir = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--keys" -> n = Long.parseLong(args[++i].replace("_", ""));
        case "--dir" -> dir = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (dir == null) {
      dir = Files.createTempDirectory("tally-dedupe-bench");
    }
    try (DedupeIndex index = DedupeIndex.open(dir.resolve("dedupe"))) {
      long t0 = System.nanoTime();
      List<DedupeIndex.Key> group = new ArrayList<>(10_000);
      for (long i = 0; i < n; i++) {
        group.add(new DedupeIndex.Key("bench", "bench", "ev-" + i));
        if (group.size() == 10_000) {
          index.seen(group);
          index.markSeen(group, i);
          group.clear();
        }
      }
      if (!group.isEmpty()) {
        index.seen(group);
        index.markSeen(group, n);
      }
      index.flush();
      double load = (System.nanoTime() - t0) / 1e9;
      long t1 = System.nanoTime();
      int found = 0;
      for (int round = 0; round < 20; round++) {
        List<DedupeIndex.Key> probe = new ArrayList<>();
        for (int k = 0; k < 5_000; k++) {
          long known = (long) ((k * 7919L + round * 104729L) % n);
          probe.add(new DedupeIndex.Key("bench", "bench", "ev-" + known));
          probe.add(new DedupeIndex.Key("bench", "bench", "new-" + round + "-" + k));
        }
        for (boolean b : index.seen(probe)) {
          found += b ? 1 : 0;
        }
      }
      double lookup = (System.nanoTime() - t1) / 1e9;
      if (found != 100_000) {
        throw new IllegalStateException("found " + found + " of 100,000 known keys (and no new one expected)");
      }
      Runtime rt = Runtime.getRuntime();
      System.out.printf(Locale.ROOT, "keys %,d: marked (looked up first, in groups of 10,000) in %.1f s (%,.0f keys/s); "
          + "200,000 look-ups (half known) in %.2f s; disk %,d MiB (%.1f bytes a key); peak resident %s; heap used "
          + "%d MiB of %d MiB%n", n, load, n / load, lookup, index.diskBytes() >> 20, index.diskBytes() / (double) n,
          peakRss(), (rt.totalMemory() - rt.freeMemory()) >> 20, rt.maxMemory() >> 20);
    }
  }

  private static String peakRss() throws java.io.IOException {
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (l.startsWith("VmHWM:")) {
        return (Long.parseLong(l.replaceAll("\\D", "")) / 1024) + " MiB";
      }
    }
    return "unknown";
  }
}
