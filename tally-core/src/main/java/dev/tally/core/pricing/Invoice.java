package dev.tally.core.pricing;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.List;

/**
 * An assembled invoice of one subscription for one billing period: its lines in the order of application and totals
 * that are sums of the rounded lines, so they add up to the cent.
 *
 * @param id stable id {@code <subscription>@<first active day>} (URL-safe), the same across re-runs
 * @param customer the customer's id
 * @param subscription the subscription's id
 * @param plan the plan version, {@code plan@version}
 * @param currency ISO 4217 code
 * @param period the billing period
 * @param lines the lines, numbered from 1
 */
public record Invoice(String id, String customer, String subscription, String plan, String currency,
    BillingPeriod period, List<InvoiceLine> lines) {
  public Invoice {
    requireNonNull(id, "id is null");
    requireNonNull(customer, "customer is null");
    requireNonNull(subscription, "subscription is null");
    requireNonNull(plan, "plan is null");
    requireNonNull(currency, "currency is null");
    requireNonNull(period, "period is null");
    lines = List.copyOf(lines);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).number() != i + 1) {
        throw new IllegalArgumentException("line " + i + " is numbered " + lines.get(i).number());
      }
      if (i > 0 && lines.get(i).kind().step().compareTo(lines.get(i - 1).kind().step()) < 0) {
        throw new IllegalArgumentException("line " + (i + 1) + " (" + lines.get(i).kind()
            + ") breaks the order of application");
      }
    }
  }

  /** Id of the invoice of a subscription's period. */
  public static String id(String subscription, BillingPeriod period) {
    return subscription + "@" + period.activeStart();
  }

  /** The sum of the lines of one step. */
  public BigDecimal total(LineKind.Step step) {
    return lines.stream().filter(l -> l.kind().step() == step).map(InvoiceLine::amount)
        .reduce(Money.zero(currency), BigDecimal::add);
  }

  /** Fees, charges, adjustments and the commitment true-up. */
  public BigDecimal subtotal() {
    return total(LineKind.Step.FEES_AND_CHARGES).add(total(LineKind.Step.COMMITMENT));
  }

  /** Discounts and coupons (zero or negative). */
  public BigDecimal discounts() {
    return total(LineKind.Step.DISCOUNTS);
  }

  public BigDecimal tax() {
    return total(LineKind.Step.TAX);
  }

  /** Credits consumed (zero or negative). */
  public BigDecimal credits() {
    return total(LineKind.Step.CREDITS);
  }

  /** What the invoice amounts to before credits pay part of it. */
  public BigDecimal totalBeforeCredits() {
    return subtotal().add(discounts()).add(tax());
  }

  /** The amount due: the sum of all lines. */
  public BigDecimal total() {
    return lines.stream().map(InvoiceLine::amount).reduce(Money.zero(currency), BigDecimal::add);
  }
}
