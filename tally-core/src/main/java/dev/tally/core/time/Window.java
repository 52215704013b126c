package dev.tally.core.time;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** A half-open interval of time {@code [start, end)}. */
public record Window(Instant start, Instant end) {
  public Window {
    requireNonNull(start, "start is null");
    requireNonNull(end, "end is null");
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException("window start " + start + " is not before end " + end);
    }
  }

  public boolean contains(Instant t) {
    return !t.isBefore(start) && t.isBefore(end);
  }
}
