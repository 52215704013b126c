package dev.tally.bench;

import dev.tally.api.Aggregation;
import dev.tally.api.Event;
import dev.tally.api.Meter;
import dev.tally.store.EventIngestor;
import dev.tally.store.TallyStore;
import dev.tally.store.wal.DedupeIndex;
import dev.tally.store.wal.DurableIngestor;
import dev.tally.store.wal.EventLog;
import dev.tally.store.wal.LogRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The acknowledge path in one process, without HTTP: the store's group commit (a DuckDB transaction per group, the
 * path {@code tally serve} answers from today) against the log-first path ({@link DurableIngestor}: judge, dedupe index,
 * log append with a shared fsync), both fed by the same grouping writer and the same closed-loop clients, side by
 * side in one run. Both answer only when the events are durable.
 *
 * <p>Usage: {@code AckPathBenchmark [--seconds 10] [--clients 64] [--batches 1,1000]}.
 */
public final class AckPathBenchmark {
  private AckPathBenchmark() {}

  private record Pending(EventIngestor.Batch batch, CompletableFuture<Void> done) {}

  public static void main(String[] args) throws Exception {
    int seconds = 10;
    int clients = 64;
    List<Integer> batches = List.of(1, 1000);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--clients" -> clients = Integer.parseInt(args[++i]);
        case "--batches" -> batches = Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    System.out.println("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
        + System.getProperty("java.version") + "; " + clients + " client threads, " + seconds + " s per run");
    System.out.println();
    System.out.println("| path | batch | requests/s | events/s | p50 | p99 | process CPU (cores) |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (int batch : batches) {
      for (String path : List.of("store group commit", "log first", "log + index, no meter check")) {
        Path dir = Files.createTempDirectory("tally-ack-bench");
        try (TallyStore store = TallyStore.open(dir, Clock.systemUTC())) {
          store.meters().apply("bench", List.of(new Meter("tokens", "", "api.request", Aggregation.SUM,
              Optional.of("$.tokens"), Map.of("endpoint", "$.endpoint"), Optional.empty())), false);
          if (path.startsWith("log + index")) {
            // The log and the index alone, as DurableIngestor uses them, without judging meters in DuckDB: what
            // the acknowledgement costs once the meter check no longer takes the store's write lock.
            try (EventLog log = EventLog.open(dir.resolve("wal"), 64L << 20);
                DedupeIndex index = DedupeIndex.open(dir.resolve("dedupe"))) {
              run(path, batch, clients, seconds, group -> logAndIndex(group, log, index));
            }
          } else if (path.equals("log first")) {
            try (DurableIngestor durable = DurableIngestor.open(store, 64L << 20)) {
              run(path, batch, clients, seconds, durable::ingestAll);
              long t0 = System.nanoTime();
              durable.awaitLoaded(Duration.ofMinutes(10));
              System.out.printf(Locale.ROOT, "|   (loader caught up %.1f s after the run) | | | | | | |%n",
                  (System.nanoTime() - t0) / 1e9);
            }
          } else {
            run(path, batch, clients, seconds, store.ingestor()::ingestAll);
          }
        }
      }
    }
  }

  private static void run(String name, int batch, int clients, int seconds,
      Function<List<EventIngestor.Batch>, List<EventIngestor.Outcome>> path) throws Exception {
    LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    Thread writer = new Thread(() -> {
      List<Pending> group = new ArrayList<>();
      while (!stop.get() || !queue.isEmpty()) {
        try {
          Pending first = queue.poll(20, TimeUnit.MILLISECONDS);
          if (first == null) {
            continue;
          }
          group.add(first);
          long events = first.batch().events().size();
          Pending next;
          while (events < 10_000 && (next = queue.peek()) != null) {
            group.add(queue.poll());
            events += next.batch().events().size();
          }
          path.apply(group.stream().map(Pending::batch).toList());
          group.forEach(p -> p.done().complete(null));
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          group.forEach(p -> p.done().completeExceptionally(e));
        }
        group.clear();
      }
    }, "bench-writer");
    writer.start();
    long[][] latencies = new long[clients][];
    int[] counts = new int[clients];
    Thread[] threads = new Thread[clients];
    long cpu0 = cpuNanos();
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    for (int c = 0; c < clients; c++) {
      int client = c;
      latencies[c] = new long[1 << 20];
      threads[c] = new Thread(() -> {
        long n = 0;
        while (System.nanoTime() < end) {
          List<Event> events = new ArrayList<>(batch);
          for (int i = 0; i < batch; i++) {
            events.add(Event.of("c" + client + "-" + n++, "bench", "api.request", "customer-" + (n % 100),
                Instant.parse("2024-01-01T00:00:00Z"), "{\"tokens\":5,\"endpoint\":\"/v1/chat\"}"));
          }
          long t0 = System.nanoTime();
          Pending p = new Pending(new EventIngestor.Batch("bench", events, Instant.now()), new CompletableFuture<>());
          queue.add(p);
          p.done().join();
          if (counts[client] < latencies[client].length) {
            latencies[client][counts[client]++] = System.nanoTime() - t0;
          }
        }
      });
      threads[c].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    double wall = (System.nanoTime() - start) / 1e9;
    double cpu = (cpuNanos() - cpu0) / 1e9;
    stop.set(true);
    writer.join();
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int k = 0;
    for (int c = 0; c < clients; c++) {
      System.arraycopy(latencies[c], 0, all, k, counts[c]);
      k += counts[c];
    }
    Arrays.sort(all);
    System.out.printf(Locale.ROOT, "| %s | %,d | %,.0f | %,.0f | %.1f ms | %.1f ms | %.2f |%n", name, batch,
        total / wall, total * (double) batch / wall, all[total / 2] / 1e6, all[(int) (total * 0.99)] / 1e6,
        cpu / wall);
  }

  private static List<EventIngestor.Outcome> logAndIndex(List<EventIngestor.Batch> group, EventLog log,
      DedupeIndex index) {
    List<DedupeIndex.Key> keys = new ArrayList<>();
    group.forEach(b -> b.events().forEach(e -> keys.add(new DedupeIndex.Key(b.tenant(), e.source(), e.id()))));
    boolean[] seen = index.seen(keys);
    List<CompletableFuture<Long>> appends = new ArrayList<>();
    group.forEach(b -> appends.add(log.append(LogRecords.encode(b))));
    long last = 0;
    for (CompletableFuture<Long> a : appends) {
      last = Math.max(last, a.join());
    }
    index.markSeen(keys, last);
    if (seen.length != keys.size()) {
      throw new IllegalStateException("index answered " + seen.length + " of " + keys.size());
    }
    return List.of();
  }

  /** CPU time of this process so far (all threads, user and system), from /proc. */
  private static long cpuNanos() {
    try {
      String[] f = Files.readString(Path.of("/proc/self/stat")).split("\\) ", 2)[1].split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return ticks * 10_000_000L;
    } catch (Exception e) {
      return 0;
    }
  }
}
