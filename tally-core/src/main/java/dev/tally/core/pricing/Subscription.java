package dev.tally.core.pricing;

import static java.util.Objects.requireNonNull;

import dev.tally.core.text.Enums;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * A customer on one plan version from a start date to an optional end date (exclusive), both local dates in the
 * customer's time zone. A plan change is the old subscription ending on the day the new one starts; both invoices of
 * that period are prorated (see {@link BillingPeriods}).
 *
 * @param id the subscription's id
 * @param customer the customer's id
 * @param plan the plan's id
 * @param version the plan version
 * @param start the first day
 * @param end the day after the last day, if it ends
 * @param anchor how billing periods are aligned
 * @param coupons the coupons redeemed on this subscription
 */
public record Subscription(String id, String customer, String plan, int version, LocalDate start,
    Optional<LocalDate> end, Anchor anchor, List<CouponRedemption> coupons) {
  /** How billing periods are aligned. */
  public enum Anchor {
    /** On the calendar: months start on the 1st, weeks on Monday, quarters in Jan/Apr/Jul/Oct, years on Jan 1. */
    CALENDAR,
    /** On the subscription's start date: a subscription from March 15 bills March 15 to April 15, and so on. */
    ANNIVERSARY;

    public static Anchor parse(String s) {
      return Enums.parse(Anchor.class, s);
    }
  }

  public Subscription {
    requireNonNull(id, "id is null");
    requireNonNull(customer, "customer is null");
    requireNonNull(plan, "plan is null");
    requireNonNull(start, "start is null");
    requireNonNull(end, "end is null");
    requireNonNull(anchor, "anchor is null");
    coupons = List.copyOf(coupons);
    end.ifPresent(e -> {
      if (!e.isAfter(start)) {
        throw new IllegalArgumentException("end (" + e + ") must be after start (" + start + ")");
      }
    });
  }

  /** {@code plan@version}. */
  public String planRef() {
    return plan + "@" + version;
  }
}
