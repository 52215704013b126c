package dev.tally.core.cost;

import dev.tally.core.text.Enums;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.IsoFields;

/** How far a forecast looks: to the end of the month, quarter or year that contains its "as of" day. */
public enum Horizon {
  MONTH,
  QUARTER,
  YEAR;

  /** Parses {@code month}, {@code quarter} or {@code year}, any case. */
  public static Horizon parse(String s) {
    try {
      return Enums.parse(Horizon.class, s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("horizon " + e.getMessage() + ", was: " + s, e);
    }
  }

  /** The calendar period of this kind that contains {@code day}. */
  public CostPeriod containing(LocalDate day) {
    return switch (this) {
      case MONTH -> CostPeriod.month(YearMonth.from(day));
      case QUARTER -> {
        int q = day.get(IsoFields.QUARTER_OF_YEAR);
        LocalDate start = LocalDate.of(day.getYear(), 3 * q - 2, 1);
        yield new CostPeriod(day.getYear() + "-Q" + q, start, start.plusMonths(3));
      }
      case YEAR -> new CostPeriod(Integer.toString(day.getYear()), LocalDate.of(day.getYear(), 1, 1),
          LocalDate.of(day.getYear() + 1, 1, 1));
    };
  }
}
