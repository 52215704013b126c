package dev.tally.cli.pricing;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;

/** The months and days the pricing commands take, read once with the error naming the flag. */
final class Dates {
  private Dates() {}

  static YearMonth month(String option, String s) {
    try {
      return YearMonth.parse(s.trim());
    } catch (DateTimeParseException e) {
      throw TallyException.invalid(Problem.of(option, "must be a month YYYY-MM, such as 2024-04", s));
    }
  }

  static LocalDate date(String option, String s) {
    try {
      return LocalDate.parse(s.trim());
    } catch (DateTimeParseException e) {
      throw TallyException.invalid(Problem.of(option, "must be a date YYYY-MM-DD", s));
    }
  }
}
