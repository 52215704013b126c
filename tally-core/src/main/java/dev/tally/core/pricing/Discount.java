package dev.tally.core.pricing;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.Optional;

/**
 * A negotiated discount for a customer (all their subscriptions) or one subscription, on one charge or on the whole
 * invoice, for the billing periods that start within {@code [from, to)}.
 *
 * @param id the discount's id
 * @param customer the customer it is for, when not for one subscription
 * @param subscription the subscription it is for, when not for a customer
 * @param reduction percent or fixed
 * @param charge the charge id it applies to; empty: the whole invoice
 * @param from first day of the range (a period starting on or after it qualifies)
 * @param to day after the range, if it ends
 */
public record Discount(String id, Optional<String> customer, Optional<String> subscription, Reduction reduction,
    Optional<String> charge, LocalDate from, Optional<LocalDate> to) {
  public Discount {
    requireNonNull(id, "id is null");
    requireNonNull(customer, "customer is null");
    requireNonNull(subscription, "subscription is null");
    requireNonNull(reduction, "reduction is null");
    requireNonNull(charge, "charge is null");
    requireNonNull(from, "from is null");
    requireNonNull(to, "to is null");
    if (customer.isPresent() == subscription.isPresent()) {
      throw new IllegalArgumentException("a discount is for either a customer or a subscription, not "
          + (customer.isPresent() ? "both" : "neither"));
    }
    to.ifPresent(t -> {
      if (!t.isAfter(from)) {
        throw new IllegalArgumentException("to (" + t + ") must be after from (" + from + ")");
      }
    });
  }

  /** Whether this discount applies to the given subscription's period starting on {@code periodStart}. */
  public boolean appliesTo(Subscription s, LocalDate periodStart) {
    boolean who = customer.map(s.customer()::equals).orElseGet(() -> subscription.orElseThrow().equals(s.id()));
    return who && !periodStart.isBefore(from) && to.map(periodStart::isBefore).orElse(true);
  }
}
