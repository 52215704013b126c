package dev.tally.core.events;

import static java.util.Objects.requireNonNull;

import dev.tally.api.Event;
import dev.tally.api.Problem;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of decoding one event: either an {@link Event} or the problems that kept it from being one.
 *
 * @param event the event, when it is valid
 * @param problems every problem found, empty when valid
 */
public record DecodedEvent(Optional<Event> event, List<Problem> problems) {
  public DecodedEvent {
    requireNonNull(event, "event is null");
    problems = List.copyOf(problems);
    if (event.isPresent() == !problems.isEmpty()) {
      throw new IllegalArgumentException("exactly one of event and problems must be given");
    }
  }

  static DecodedEvent valid(Event event) {
    return new DecodedEvent(Optional.of(event), List.of());
  }

  static DecodedEvent invalid(List<Problem> problems) {
    return new DecodedEvent(Optional.empty(), problems);
  }

  public boolean isValid() {
    return event.isPresent();
  }
}
