package dev.tally.core.time;

import dev.tally.api.UsageQuery;
import dev.tally.api.WindowSize;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Window arithmetic in an IANA time zone.
 *
 * <p>Design: MINUTE and HOUR windows are spans of elapsed time aligned to the local clock; on the night clocks go back,
 * the repeated local hour 02:00 is two distinct windows (02:00+02:00 and 02:00+01:00), never one two-hour window. DAY
 * and MONTH windows are true local days and months: a Paris day is 23 hours in March and 25 in October, and a day
 * whose midnight does not exist (some zones move their clocks at midnight) starts at the first valid instant.
 *
 * <p>Windows of a query are clipped to its range {@code [from, to)}, so the first and last may be shorter than their
 * size; this keeps every reported figure true to its stated interval.
 */
public final class Windows {
  private Windows() {}

  /** The start of the window containing {@code t}. */
  public static Instant startOf(Instant t, WindowSize size, ZoneId zone) {
    ZonedDateTime local = t.atZone(zone);
    return switch (size) {
      // ZonedDateTime truncation keeps the offset where it can, so the repeated hour stays two windows.
      case MINUTE -> local.truncatedTo(ChronoUnit.MINUTES).toInstant();
      case HOUR -> local.truncatedTo(ChronoUnit.HOURS).toInstant();
      case DAY -> local.toLocalDate().atStartOfDay(zone).toInstant();
      case MONTH -> local.toLocalDate().withDayOfMonth(1).atStartOfDay(zone).toInstant();
    };
  }

  /** The start of the window after the one starting at {@code start}. */
  static Instant next(Instant start, WindowSize size, ZoneId zone) {
    return switch (size) {
      case MINUTE -> start.plus(Duration.ofMinutes(1));
      case HOUR -> start.plus(Duration.ofHours(1));
      case DAY -> start.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
      case MONTH -> start.atZone(zone).toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay(zone).toInstant();
    };
  }

  /** The start of the local day or month whose local start (as the engine reports it) is {@code localStart}. */
  static Instant fromLocalStart(LocalDateTime localStart, WindowSize size, ZoneId zone) {
    LocalDate date = localStart.toLocalDate();
    return switch (size) {
      case DAY -> date.atStartOfDay(zone).toInstant();
      case MONTH -> date.withDayOfMonth(1).atStartOfDay(zone).toInstant();
      default -> throw new IllegalArgumentException("only DAY and MONTH windows have a local start, not " + size);
    };
  }

  /** The window containing {@code t}, clipped to {@code [from, to)}. */
  public static Window clippedWindowOf(Instant t, WindowSize size, ZoneId zone, Instant from, Instant to) {
    Instant start = startOf(t, size, zone);
    return clip(start, next(start, size, zone), from, to);
  }

  /** The windows a query asks for: of its window size in its zone, or one window over its whole range. */
  public static List<Window> ofQuery(UsageQuery q) {
    return q.windowSize().map(s -> list(q.from(), q.to(), s, q.windowTimeZone()))
        .orElse(List.of(new Window(q.from(), q.to())));
  }

  /**
   * The window of a bucket that an engine (DuckDB, Spark) computed as epoch microseconds, clipped to
   * {@code [from, to)}: the microseconds of the local wall-clock start when {@code local} (days and months in a zone
   * with offsets), else of the start instant. Both engines read their buckets back through this one method.
   */
  public static Window ofBucket(long micros, boolean local, WindowSize size, ZoneId zone, Instant from, Instant to) {
    long seconds = Math.floorDiv(micros, 1_000_000L);
    int nanos = (int) Math.floorMod(micros, 1_000_000L) * 1000;
    Instant start = local
        ? fromLocalStart(LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC), size, zone)
        : Instant.ofEpochSecond(seconds, nanos);
    return clippedWindowAt(start, size, zone, from, to);
  }

  /** The window starting at an aligned {@code start}, clipped to {@code [from, to)}. */
  static Window clippedWindowAt(Instant start, WindowSize size, ZoneId zone, Instant from, Instant to) {
    return clip(start, next(start, size, zone), from, to);
  }

  /** The number of windows a query range is cut into, without building them. Stops counting past {@code limit}. */
  public static long count(Instant from, Instant to, WindowSize size, ZoneId zone, long limit) {
    long n = 0;
    if (size == WindowSize.MINUTE || size == WindowSize.HOUR) {
      // Elapsed-time windows: count by arithmetic, since a year of minutes is half a million windows.
      // In seconds and nanoseconds apart: ten thousand years of nanoseconds overflow a long.
      long unit = size == WindowSize.MINUTE ? 60 : 3600;
      Duration span = Duration.between(startOf(from, size, zone), to);
      return span.getSeconds() / unit + ((span.getSeconds() % unit != 0 || span.getNano() != 0) ? 1 : 0);
    }
    for (Instant s = startOf(from, size, zone); s.isBefore(to) && n <= limit; s = next(s, size, zone)) {
      n++;
    }
    return n;
  }

  /** Every window of {@code [from, to)}, clipped to the range, in order. */
  public static List<Window> list(Instant from, Instant to, WindowSize size, ZoneId zone) {
    List<Window> windows = new ArrayList<>();
    for (Instant s = startOf(from, size, zone); s.isBefore(to); s = next(s, size, zone)) {
      windows.add(clip(s, next(s, size, zone), from, to));
    }
    return windows;
  }

  private static Window clip(Instant start, Instant end, Instant from, Instant to) {
    return new Window(start.isBefore(from) ? from : start, end.isAfter(to) ? to : end);
  }
}
