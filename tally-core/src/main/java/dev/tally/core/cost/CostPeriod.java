package dev.tally.core.cost;

import static java.util.Objects.requireNonNull;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.time.Window;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A calendar period of whole days {@code [start, end)}, as a report names it: a month {@code 2024-06}, an ISO week
 * {@code 2024-W23}, a day {@code 2024-06-03}, or a range {@code 2024-06-01..2024-07-01}.
 *
 * <p>A range is half-open like every interval in Tally: {@code 2024-06-01..2024-07-01} is the whole of June, and
 * {@code 2024-06-01..2024-06-01} is refused as empty. Days become instants only in a zone ({@link #window}), so that a
 * Paris month starts at Paris midnight.
 *
 * @param label the text the period was written as, normalised ({@code 2024-W05}, not {@code 2024-w5})
 * @param start first day, inclusive
 * @param end day after the last day, exclusive
 */
public record CostPeriod(String label, LocalDate start, LocalDate end) {
  private static final Pattern MONTH = Pattern.compile("(\\d{4})-(\\d{2})");
  private static final Pattern WEEK = Pattern.compile("(\\d{4})-[Ww](\\d{1,2})");
  private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  public CostPeriod {
    requireNonNull(label, "label is null");
    requireNonNull(start, "start is null");
    requireNonNull(end, "end is null");
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException("period " + label + ": start " + start + " is not before end " + end);
    }
  }

  /** The period of one month. */
  public static CostPeriod month(YearMonth m) {
    return new CostPeriod(m.toString(), m.atDay(1), m.plusMonths(1).atDay(1));
  }

  /** The period of one day. */
  static CostPeriod day(LocalDate d) {
    return new CostPeriod(d.toString(), d, d.plusDays(1));
  }

  /** The period {@code [from, to)}. */
  static CostPeriod range(LocalDate from, LocalDate to) {
    return new CostPeriod(from + ".." + to, from, to);
  }

  /**
   * Parses a period; {@code field} names the flag or parameter it came from, for the error.
   *
   * @throws TallyException (invalid input) naming the field, the accepted forms and the text given
   */
  public static CostPeriod parse(String field, String text) {
    requireNonNull(field, "field is null");
    if (text == null || text.isBlank()) {
      throw invalid(field, "is empty", text);
    }
    String s = text.strip();
    try {
      int dots = s.indexOf("..");
      if (dots >= 0) {
        LocalDate from = date(field, s.substring(0, dots));
        LocalDate to = date(field, s.substring(dots + 2));
        if (!from.isBefore(to)) {
          throw invalid(field, "range must have FROM before TO (TO is exclusive)", text);
        }
        return range(from, to);
      }
      Matcher m = MONTH.matcher(s);
      if (m.matches()) {
        return month(YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
      }
      Matcher w = WEEK.matcher(s);
      if (w.matches()) {
        return isoWeek(field, text, Integer.parseInt(w.group(1)), Integer.parseInt(w.group(2)));
      }
      if (DAY.matcher(s).matches()) {
        return day(LocalDate.parse(s));
      }
    } catch (DateTimeException e) {
      throw invalid(field, "is not a real date (" + e.getMessage() + ")", text);
    }
    throw invalid(field, "must be YYYY-MM, YYYY-Www (ISO week), YYYY-MM-DD, or FROM..TO with dates", text);
  }

  /** Parses a date {@code YYYY-MM-DD}, naming the field in the error. */
  public static LocalDate date(String field, String text) {
    String s = text == null ? "" : text.strip();
    if (!DAY.matcher(s).matches()) {
      throw invalid(field, "must be a date YYYY-MM-DD", text);
    }
    try {
      return LocalDate.parse(s);
    } catch (DateTimeException e) {
      throw invalid(field, "is not a real date (" + e.getMessage() + ")", text);
    }
  }

  private static CostPeriod isoWeek(String field, String text, int year, int week) {
    // Week 1 is the week with the year's first Thursday; some years have 53 weeks.
    LocalDate mid = LocalDate.of(year, 6, 1);
    long weeks = mid.range(IsoFields.WEEK_OF_WEEK_BASED_YEAR).getMaximum();
    if (week < 1 || week > weeks) {
      throw invalid(field, "ISO week-based year " + year + " has weeks 1 to " + weeks, text);
    }
    LocalDate monday = mid.with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, week).with(DayOfWeek.MONDAY);
    return new CostPeriod(String.format("%04d-W%02d", year, week), monday, monday.plusDays(7));
  }

  private static TallyException invalid(String field, String message, String given) {
    return TallyException.invalid(Problem.of(field, message, given));
  }

  /** Number of days in the period. */
  public long days() {
    return ChronoUnit.DAYS.between(start, end);
  }

  /** The instants the period covers in a zone: from local midnight of {@code start} to that of {@code end}. */
  public Window window(ZoneId zone) {
    return new Window(start.atStartOfDay(zone).toInstant(), end.atStartOfDay(zone).toInstant());
  }

  /** Whether a day falls in the period. */
  public boolean contains(LocalDate d) {
    return !d.isBefore(start) && d.isBefore(end);
  }

  @Override
  public String toString() {
    return label;
  }
}
