package dev.tally.core.pricing;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * One billing period of a subscription, as local dates in the customer's zone: the whole period {@code [start, end)}
 * and the part of it in which the subscription is active {@code [activeStart, activeEnd)}.
 *
 * <p>Proration rule: amounts that belong to a period (fixed fees, the minimum commitment) are multiplied by
 * {@code activeDays / days}, counting whole local days; usage needs no proration because only the usage of the active
 * part is rated. A whole period has a factor of exactly 1.
 *
 * @param start first day of the period
 * @param end day after the period
 * @param activeStart first day the subscription is active in the period
 * @param activeEnd day after the last active day
 * @param zone the customer's zone, which turns days into instants
 */
public record BillingPeriod(LocalDate start, LocalDate end, LocalDate activeStart, LocalDate activeEnd, ZoneId zone) {
  public BillingPeriod {
    requireNonNull(start, "start is null");
    requireNonNull(end, "end is null");
    requireNonNull(activeStart, "activeStart is null");
    requireNonNull(activeEnd, "activeEnd is null");
    requireNonNull(zone, "zone is null");
    if (!start.isBefore(end) || activeStart.isBefore(start) || activeEnd.isAfter(end)
        || !activeStart.isBefore(activeEnd)) {
      throw new IllegalArgumentException("inconsistent billing period [" + start + ", " + end + ") active ["
          + activeStart + ", " + activeEnd + ")");
    }
  }

  /** Days in the whole period. */
  public long days() {
    return ChronoUnit.DAYS.between(start, end);
  }

  /** Days the subscription is active in the period. */
  public long activeDays() {
    return ChronoUnit.DAYS.between(activeStart, activeEnd);
  }

  /** Whether the subscription is active for the whole period. */
  public boolean whole() {
    return activeStart.equals(start) && activeEnd.equals(end);
  }

  /** {@code amount × activeDays / days}, to 34 significant digits (exact for a whole period). */
  public BigDecimal prorate(BigDecimal amount) {
    if (whole()) {
      return amount;
    }
    return amount.multiply(BigDecimal.valueOf(activeDays()))
        .divide(BigDecimal.valueOf(days()), MathContext.DECIMAL128);
  }

  /** The instant the active part starts (local midnight in the zone). */
  public Instant from() {
    return activeStart.atStartOfDay(zone).toInstant();
  }

  /** The instant the active part ends, exclusive. */
  public Instant to() {
    return activeEnd.atStartOfDay(zone).toInstant();
  }

  /** {@code 2024-04-01..2024-05-01}, with the active part when it differs. */
  public String describe() {
    return start + ".." + end + (whole() ? "" : " (active " + activeStart + ".." + activeEnd + ", " + activeDays()
        + "/" + days() + " days)");
  }
}
