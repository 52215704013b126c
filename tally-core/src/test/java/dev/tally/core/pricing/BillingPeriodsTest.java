package dev.tally.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Billing periods per interval and anchoring, clipping, proration, and zones with daylight saving time. */
class BillingPeriodsTest {
  static final ZoneId UTC = ZoneId.of("UTC");

  static Subscription sub(String start, String end, Subscription.Anchor anchor) {
    return new Subscription("s", "c", "p", 1, LocalDate.parse(start), Optional.ofNullable(end).map(LocalDate::parse),
        anchor, List.of());
  }

  static Stream<Arguments> periods() {
    return Stream.of(
        // interval, anchor, subscription start, run month, expected [activeStart, activeEnd) of each period
        Arguments.of(BillingInterval.MONTH, Subscription.Anchor.CALENDAR, "2024-01-01", "2024-04",
            List.of("2024-04-01..2024-05-01")),
        Arguments.of(BillingInterval.MONTH, Subscription.Anchor.CALENDAR, "2024-04-11", "2024-04",
            List.of("2024-04-11..2024-05-01")),
        Arguments.of(BillingInterval.MONTH, Subscription.Anchor.ANNIVERSARY, "2024-01-31", "2024-02",
            List.of("2024-02-29..2024-03-31")),
        Arguments.of(BillingInterval.MONTH, Subscription.Anchor.ANNIVERSARY, "2024-01-31", "2024-03",
            List.of("2024-03-31..2024-04-30")),
        Arguments.of(BillingInterval.WEEK, Subscription.Anchor.CALENDAR, "2024-01-01", "2024-04",
            List.of("2024-04-01..2024-04-08", "2024-04-08..2024-04-15", "2024-04-15..2024-04-22",
                "2024-04-22..2024-04-29", "2024-04-29..2024-05-06")),
        Arguments.of(BillingInterval.QUARTER, Subscription.Anchor.CALENDAR, "2024-02-15", "2024-02",
            List.of("2024-02-15..2024-04-01")),
        Arguments.of(BillingInterval.QUARTER, Subscription.Anchor.CALENDAR, "2024-02-15", "2024-05", List.of()),
        Arguments.of(BillingInterval.YEAR, Subscription.Anchor.ANNIVERSARY, "2023-06-10", "2024-06",
            List.of("2024-06-10..2025-06-10")));
  }

  @ParameterizedTest(name = "{0} {1} from {2}, run {3}")
  @MethodSource("periods")
  void periodsStartingInAMonth(BillingInterval interval, Subscription.Anchor anchor, String start, String month,
      List<String> expected) {
    LocalDate from = LocalDate.parse(month + "-01");
    assertThat(BillingPeriods.startingIn(sub(start, null, anchor), interval, UTC, from, from.plusMonths(1)))
        .extracting(p -> p.activeStart() + ".." + p.activeEnd()).isEqualTo(expected);
  }

  @Test
  void aPlanChangeSplitsThePeriodAndProratesBothSides() {
    Subscription old = sub("2024-01-01", "2024-07-15", Subscription.Anchor.CALENDAR);
    Subscription next = sub("2024-07-15", null, Subscription.Anchor.CALENDAR);
    LocalDate july = LocalDate.parse("2024-07-01");
    BillingPeriod a = BillingPeriods.startingIn(old, BillingInterval.MONTH, UTC, july, july.plusMonths(1)).get(0);
    BillingPeriod b = BillingPeriods.startingIn(next, BillingInterval.MONTH, UTC, july, july.plusMonths(1)).get(0);
    assertThat(a.activeDays() + b.activeDays()).isEqualTo(31);
    assertThat(Money.round(a.prorate(new BigDecimal("49")), "USD")).isEqualByComparingTo("22.13"); // 14/31
    assertThat(Money.round(b.prorate(new BigDecimal("49")), "USD")).isEqualByComparingTo("26.87"); // 17/31
    assertThat(BillingPeriods.next(old, BillingInterval.MONTH, a)).isEmpty();
  }

  @Test
  void periodsAreLocalDaysInTheCustomersZone() {
    ZoneId paris = ZoneId.of("Europe/Paris");
    LocalDate march = LocalDate.parse("2024-03-01");
    BillingPeriod p = BillingPeriods.startingIn(sub("2024-01-01", null, Subscription.Anchor.CALENDAR),
        BillingInterval.MONTH, paris, march, march.plusMonths(1)).get(0);
    assertThat(p.from()).hasToString("2024-02-29T23:00:00Z");
    assertThat(p.to()).hasToString("2024-03-31T22:00:00Z");
    // March in Paris lasts 31 days less the hour clocks skip; proration counts days, not hours.
    assertThat(Duration.between(p.from(), p.to())).isEqualTo(Duration.ofDays(31).minusHours(1));
    assertThat(p.days()).isEqualTo(31);
  }
}
