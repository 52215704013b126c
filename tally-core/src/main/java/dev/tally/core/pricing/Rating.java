package dev.tally.core.pricing;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.List;

/**
 * The outcome of rating usage with a price model: the exact (unrounded) amount and the steps that produced it.
 *
 * @param amount the exact amount; rounding happens when it becomes an invoice line
 * @param steps the steps, whose amounts add up to {@code amount}
 */
record Rating(BigDecimal amount, List<RatingStep> steps) {
  public Rating {
    requireNonNull(amount, "amount is null");
    steps = List.copyOf(steps);
  }

  /** A rating made of the given steps. */
  public static Rating of(List<RatingStep> steps) {
    return new Rating(steps.stream().map(RatingStep::amount).reduce(BigDecimal.ZERO, BigDecimal::add), steps);
  }
}
