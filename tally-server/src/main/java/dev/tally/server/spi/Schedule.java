package dev.tally.server.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work repeated at a fixed delay on one daemon thread of its own, for the jobs {@code tally serve} runs beside the API
 * (invoice runs, alert checks): a run never overlaps the next, a slow run delays the next rather than piling them up,
 * and closing lets the run in progress finish. A run that fails is logged and counted like any other, and the next
 * one runs on time: an executor would otherwise stop repeating after the first exception.
 */
public final class Schedule implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Schedule.class);

  private final ScheduledExecutorService executor;
  private final AtomicLong ticks = new AtomicLong();

  private Schedule(String threadName) {
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts running {@code work} after {@code initialDelay}, then {@code interval} after each run ends.
   *
   * @param what what the work is, for the thread's name and messages ("invoice", "alert")
   * @throws IllegalArgumentException if the interval is not positive
   */
  public static Schedule start(String what, Duration initialDelay, Duration interval, Runnable work) {
    requireNonNull(work, "work is null");
    requireNonNull(initialDelay, "initialDelay is null");
    requireNonNull(interval, "interval is null");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the " + what + " interval must be positive, got " + interval);
    }
    Schedule s = new Schedule("tally-" + what + "-schedule");
    s.executor.scheduleWithFixedDelay(() -> {
      try {
        work.run();
      } catch (RuntimeException e) {
        LOG.warn("scheduled {} run failed; next run in {}: {}", what, interval, e.toString());
      }
      s.ticks.incrementAndGet();
    }, initialDelay.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return s;
  }

  /** How many runs have completed. */
  public long ticks() {
    return ticks.get();
  }

  /** Stops the schedule, letting a run in progress finish (for up to a minute). */
  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(60, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
