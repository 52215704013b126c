package dev.tally.core.pricing;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The billing periods of a subscription.
 *
 * <p>Periods are counted from an anchor: the subscription's start for {@link Subscription.Anchor#ANNIVERSARY}, the
 * calendar start of the period containing it for {@link Subscription.Anchor#CALENDAR}. Period {@code k} is
 * {@code [anchor + k intervals, anchor + (k+1) intervals)}, always counted from the anchor, so an anniversary on the
 * 31st gives Jan 31, Feb 29, Mar 31 (never drifting to the 29th). Each period is clipped to the subscription's active
 * range.
 */
public final class BillingPeriods {
  private BillingPeriods() {}

  /** The anchor period k = 0 starts on. */
  public static LocalDate anchor(Subscription s, BillingInterval interval) {
    return s.anchor() == Subscription.Anchor.CALENDAR ? interval.calendarStart(s.start()) : s.start();
  }

  /**
   * The periods of the subscription whose active part starts within {@code [from, to)}, in order: the periods an
   * invoice run for that range produces invoices for.
   */
  public static List<BillingPeriod> startingIn(Subscription s, BillingInterval interval, ZoneId zone, LocalDate from,
      LocalDate to) {
    List<BillingPeriod> out = new ArrayList<>();
    LocalDate anchor = anchor(s, interval);
    for (long k = 0; ; k++) {
      LocalDate start = interval.plus(anchor, k);
      if (!start.isBefore(to) || s.end().map(e -> !start.isBefore(e)).orElse(false)) {
        return out;
      }
      Optional<BillingPeriod> p = clip(s, interval, zone, k);
      if (p.isPresent() && !p.get().activeStart().isBefore(from)) {
        out.add(p.get());
      }
    }
  }

  /** The period after {@code p}, clipped; empty when the subscription is not active in it. */
  public static Optional<BillingPeriod> next(Subscription s, BillingInterval interval, BillingPeriod p) {
    LocalDate anchor = anchor(s, interval);
    for (long k = 0; ; k++) {
      LocalDate start = interval.plus(anchor, k);
      if (start.isAfter(p.start())) {
        return Optional.empty();
      }
      if (start.equals(p.start())) {
        return clip(s, interval, p.zone(), k + 1);
      }
    }
  }

  /** Whether {@code p} is the subscription's first period. */
  public static boolean first(Subscription s, BillingPeriod p) {
    return p.activeStart().equals(s.start());
  }

  /**
   * How many of the subscription's periods before {@code p} have an active start on or after {@code since}: the
   * index of {@code p} among the periods a coupon redeemed on {@code since} covers (negative if {@code p} starts
   * before it).
   */
  public static long indexSince(Subscription s, BillingInterval interval, BillingPeriod p, LocalDate since) {
    if (p.activeStart().isBefore(since)) {
      return -1;
    }
    return startingIn(s, interval, p.zone(), since, p.activeStart()).size();
  }

  private static Optional<BillingPeriod> clip(Subscription s, BillingInterval interval, ZoneId zone, long k) {
    LocalDate anchor = anchor(s, interval);
    LocalDate start = interval.plus(anchor, k);
    LocalDate end = interval.plus(anchor, k + 1);
    LocalDate activeStart = start.isBefore(s.start()) ? s.start() : start;
    LocalDate activeEnd = s.end().filter(e -> e.isBefore(end)).orElse(end);
    if (!activeStart.isBefore(activeEnd)) {
      return Optional.empty();
    }
    return Optional.of(new BillingPeriod(start, end, activeStart, activeEnd, zone));
  }
}
