package dev.tally.core.pricing;

import dev.tally.core.text.Enums;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/** How long a billing period lasts. */
public enum BillingInterval {
  WEEK,
  MONTH,
  QUARTER,
  YEAR;

  /** Parses {@code week}, {@code month}, {@code quarter} or {@code year}. */
  public static BillingInterval parse(String s) {
    return Enums.parse(BillingInterval.class, s);
  }

  /** The date {@code n} intervals after {@code anchor}, always counted from the anchor so month ends never drift. */
  public LocalDate plus(LocalDate anchor, long n) {
    return switch (this) {
      case WEEK -> anchor.plusWeeks(n);
      case MONTH -> anchor.plusMonths(n);
      case QUARTER -> anchor.plusMonths(3 * n);
      case YEAR -> anchor.plusYears(n);
    };
  }

  /** The calendar start of the period containing {@code date}: Monday, the 1st, a quarter's or a year's first day. */
  public LocalDate calendarStart(LocalDate date) {
    return switch (this) {
      case WEEK -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case MONTH -> date.withDayOfMonth(1);
      case QUARTER -> date.withDayOfMonth(1).withMonth(((date.getMonthValue() - 1) / 3) * 3 + 1);
      case YEAR -> date.withDayOfYear(1);
    };
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
