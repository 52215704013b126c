package dev.tally.core.pricing;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * Everything an invoice is assembled from. The assembler picks what applies (discounts by date, coupons by period,
 * wallets by issue day); the store only gathers.
 *
 * @param customer the customer
 * @param subscription the subscription
 * @param plan its plan version
 * @param period the billing period
 * @param usage the measured usage of each charge in the period's active part
 * @param discounts the discounts of the customer and subscription
 * @param coupons the coupons redeemed on the subscription, by code
 * @param wallets the customer's wallets with their balances
 * @param adjustments late-usage differences of earlier finalised invoices
 */
public record InvoiceRequest(Customer customer, Subscription subscription, PlanVersion plan, BillingPeriod period,
    List<ChargeUsage> usage, List<Discount> discounts, Map<String, Coupon> coupons, List<WalletBalance> wallets,
    List<Adjustment> adjustments) {
  public InvoiceRequest {
    requireNonNull(customer, "customer is null");
    requireNonNull(subscription, "subscription is null");
    requireNonNull(plan, "plan is null");
    requireNonNull(period, "period is null");
    usage = List.copyOf(usage);
    discounts = List.copyOf(discounts);
    coupons = Map.copyOf(coupons);
    wallets = List.copyOf(wallets);
    adjustments = List.copyOf(adjustments);
    if (!customer.currency().equals(plan.currency())) {
      throw new IllegalArgumentException("customer " + customer.id() + " pays in " + customer.currency()
          + " but plan " + plan.ref() + " is priced in " + plan.currency());
    }
  }
}
