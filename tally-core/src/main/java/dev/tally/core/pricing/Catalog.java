package dev.tally.core.pricing;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A pricing catalogue as a file declares it: customers, plan versions, subscriptions, discounts, coupons, credit
 * wallets and the invoice grace period. A file may declare any part; applying it creates or replaces each entity by
 * id (plan versions, being immutable, may only be re-declared unchanged).
 *
 * @param customers customers, by id
 * @param plans plan versions, by plan and version
 * @param subscriptions subscriptions, by id
 * @param discounts discounts, by id
 * @param coupons coupons, by code
 * @param wallets credit wallets, by id
 * @param gracePeriod how long after a period ends its invoice stays a draft, if declared
 */
public record Catalog(List<Customer> customers, List<PlanVersion> plans, List<Subscription> subscriptions,
    List<Discount> discounts, List<Coupon> coupons, List<CreditWallet> wallets, Optional<Duration> gracePeriod) {
  /** The grace period when none is declared. */
  public static final Duration DEFAULT_GRACE = Duration.ofDays(3);

  public Catalog {
    customers = List.copyOf(customers);
    plans = List.copyOf(plans);
    subscriptions = List.copyOf(subscriptions);
    discounts = List.copyOf(discounts);
    coupons = List.copyOf(coupons);
    wallets = List.copyOf(wallets);
    requireNonNull(gracePeriod, "gracePeriod is null");
  }

  /**
   * How long an invoice of this customer on this plan stays a draft after its period: the customer's own grace
   * period if it has one (a term negotiated with that customer), else the plan's, else the tenant's
   * ({@code settings.gracePeriod}), else {@link #DEFAULT_GRACE}.
   */
  public Duration gracePeriod(Customer customer, PlanVersion plan) {
    return customer.gracePeriod().or(plan::gracePeriod).or(() -> gracePeriod).orElse(DEFAULT_GRACE);
  }

  /** Refuses a negative grace period. */
  static void checkGrace(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("gracePeriod must not be negative, given " + d);
    }
  }

  public Optional<Customer> customer(String id) {
    return customers.stream().filter(c -> c.id().equals(id)).findFirst();
  }

  public Optional<PlanVersion> plan(String plan, int version) {
    return plans.stream().filter(p -> p.plan().equals(plan) && p.version() == version).findFirst();
  }

  /** The latest version of a plan. */
  public Optional<PlanVersion> latest(String plan) {
    return plans.stream().filter(p -> p.plan().equals(plan))
        .max(Comparator.comparingInt(PlanVersion::version));
  }

  public Optional<Subscription> subscription(String id) {
    return subscriptions.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  /** The subscriptions of these customers (empty: of all), by id: the order runs and simulations go in. */
  public List<Subscription> subscriptionsOf(Set<String> customers) {
    return subscriptions.stream().filter(s -> customers.isEmpty() || customers.contains(s.customer()))
        .sorted(Comparator.comparing(Subscription::id)).toList();
  }

  public Optional<Coupon> coupon(String code) {
    return coupons.stream().filter(c -> c.code().equals(code)).findFirst();
  }
}
