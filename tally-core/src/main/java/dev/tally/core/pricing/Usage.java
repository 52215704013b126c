package dev.tally.core.pricing;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.List;

/**
 * The usage a price model rates: the metered quantity, and, for percentage prices that apply per-event fees and
 * bounds, the value of each event (whose sum is the quantity).
 *
 * @param quantity the metered quantity, not negative
 * @param eventValues the individual values, in event order; empty when the model does not need them
 */
public record Usage(BigDecimal quantity, List<BigDecimal> eventValues) {
  public Usage {
    requireNonNull(quantity, "quantity is null");
    eventValues = List.copyOf(eventValues);
    if (quantity.signum() < 0) {
      throw new IllegalArgumentException("quantity must not be negative, given " + quantity);
    }
  }

  /** A quantity without event values. */
  public static Usage of(BigDecimal quantity) {
    return new Usage(quantity, List.of());
  }

  /** A quantity without event values. */
  public static Usage of(String quantity) {
    return of(new BigDecimal(quantity));
  }

  /** Event values; the quantity is their sum. */
  public static Usage ofEvents(List<BigDecimal> values) {
    return new Usage(values.stream().reduce(BigDecimal.ZERO, BigDecimal::add), values);
  }
}
