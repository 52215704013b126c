package dev.tally.bench.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives a {@link LoadTarget} from N threads (one connection each) for a fixed time, either closed-loop (each thread
 * sends as soon as its previous request is answered: the peak rate) or open-loop at a fixed request rate, in which
 * case latency is measured from when the request was due, not from when it was sent, so that a stalled server is
 * not flattered (no coordinated omission).
 */
final class LoadRunner {
  /**
   * What one phase measured.
   *
   * @param requests successful requests
   * @param errors failed requests
   * @param seconds the phase's length
   * @param latenciesNanos sorted latencies of the successful requests
   * @param firstError the first failure's message, or empty
   */
  record Result(long requests, long errors, double seconds, long[] latenciesNanos, String firstError) {
    double requestsPerSecond() {
      return requests / seconds;
    }

    double millisAt(double quantile) {
      if (latenciesNanos.length == 0) {
        return Double.NaN;
      }
      int i = (int) Math.min(latenciesNanos.length - 1, Math.ceil(quantile * latenciesNanos.length) - 1);
      return latenciesNanos[Math.max(0, i)] / 1e6;
    }
  }

  private LoadRunner() {}

  /**
   * Runs one phase.
   *
   * @param ratePerSecond requests per second for an open-loop phase, or 0 for closed-loop (peak)
   */
  static Result run(List<LoadTarget> targets, int batch, Duration duration, double ratePerSecond)
      throws InterruptedException {
    AtomicLong next = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>("");
    List<long[]> perThread = new ArrayList<>();
    List<int[]> counts = new ArrayList<>();
    CountDownLatch ready = new CountDownLatch(targets.size());
    CountDownLatch go = new CountDownLatch(1);
    long[] t0 = new long[1];
    long lengthNanos = duration.toNanos();
    long interval = ratePerSecond > 0 ? (long) (1e9 / ratePerSecond) : 0;
    List<Thread> threads = new ArrayList<>();
    for (LoadTarget target : targets) {
      long[] lat = new long[1 << 20];
      int[] n = new int[1];
      perThread.add(lat);
      counts.add(n);
      Thread th = new Thread(() -> {
        ready.countDown();
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        long end = t0[0] + lengthNanos;
        while (true) {
          long request = next.getAndIncrement();
          long due;
          if (interval > 0) {
            due = t0[0] + request * interval;
            if (due >= end) {
              return;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
              LockSupport.parkNanos(wait);
            }
          } else {
            due = System.nanoTime();
            if (due >= end) {
              return;
            }
          }
          try {
            target.send(request, batch);
            if (n[0] < lat.length) {
              lat[n[0]++] = System.nanoTime() - due;
            }
          } catch (Exception e) {
            errors.incrementAndGet();
            firstError.compareAndSet("", String.valueOf(e.getMessage()));
          }
        }
      }, "load-" + threads.size());
      threads.add(th);
      th.start();
    }
    ready.await();
    t0[0] = System.nanoTime();
    go.countDown();
    for (Thread th : threads) {
      th.join();
    }
    double seconds = (System.nanoTime() - t0[0]) / 1e9;
    int total = counts.stream().mapToInt(c -> c[0]).sum();
    long[] all = new long[total];
    int at = 0;
    for (int i = 0; i < perThread.size(); i++) {
      System.arraycopy(perThread.get(i), 0, all, at, counts.get(i)[0]);
      at += counts.get(i)[0];
    }
    Arrays.sort(all);
    return new Result(total, errors.get(), seconds, all, firstError.get());
  }
}
