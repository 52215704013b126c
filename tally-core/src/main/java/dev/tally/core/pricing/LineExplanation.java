package dev.tally.core.pricing;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * Why an invoice line has its amount: the rule applied, the usage it rated (if any), the steps, and the arithmetic
 * down to the rounding.
 *
 * @param rule which rule produced the line ({@code graduated price of charge 'tokens' (plan ai@1)})
 * @param source the meter query behind the quantity, for usage lines
 * @param steps the rating steps (tiers applied, packages, per-event outcomes)
 * @param arithmetic the computation in one line, ending with the rounded amount
 */
record LineExplanation(String rule, Optional<UsageSource> source, List<RatingStep> steps, String arithmetic) {
  public LineExplanation {
    requireNonNull(rule, "rule is null");
    requireNonNull(source, "source is null");
    steps = List.copyOf(steps);
    requireNonNull(arithmetic, "arithmetic is null");
  }

  /** The explanation of a line that rates no usage: its rule and its arithmetic. */
  public static LineExplanation of(String rule, String arithmetic) {
    return new LineExplanation(rule, Optional.empty(), List.of(), arithmetic);
  }
}
