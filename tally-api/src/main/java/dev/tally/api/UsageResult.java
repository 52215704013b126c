package dev.tally.api;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The answer to a {@link UsageQuery}, in OpenMeter's response shape.
 *
 * @param from the query's start
 * @param to the query's end
 * @param windowSize the query's window size, if any
 * @param data the rows, ordered by window start, then subject, then group values
 */
public record UsageResult(Instant from, Instant to, Optional<WindowSize> windowSize, List<UsageRow> data) {
  public UsageResult {
    requireNonNull(from, "from is null");
    requireNonNull(to, "to is null");
    requireNonNull(windowSize, "windowSize is null");
    data = List.copyOf(data);
  }
}
