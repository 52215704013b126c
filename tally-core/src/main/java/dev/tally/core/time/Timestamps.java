package dev.tally.core.time;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/** Parsing of instants and dates given by users, with messages that say what was expected. */
public final class Timestamps {
  /**
   * RFC 3339: date, {@code T} (or a space, which RFC 3339 allows and databases print), time with optional fraction,
   * and a mandatory offset ({@code Z} or {@code +hh:mm}).
   */
  private static final DateTimeFormatter RFC_3339 = new DateTimeFormatterBuilder()
      .parseCaseInsensitive()
      .append(DateTimeFormatter.ISO_LOCAL_DATE)
      .optionalStart().appendLiteral('T').optionalEnd()
      .optionalStart().appendLiteral(' ').optionalEnd()
      .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
      .appendValue(ChronoField.MINUTE_OF_HOUR, 2).appendLiteral(':')
      .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .appendOffset("+HH:MM", "Z")
      .toFormatter();

  private Timestamps() {}

  /**
   * Parses an RFC 3339 timestamp with a UTC offset.
   *
   * @throws IllegalArgumentException with a message naming the expected form
   */
  public static Instant parse(String text) {
    try {
      return OffsetDateTime.parse(text.trim(), RFC_3339).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "must be an RFC 3339 timestamp with a UTC offset, such as 2024-04-01T12:00:00Z", e);
    }
  }

  /**
   * Parses a user-given instant for a query bound: an RFC 3339 timestamp, or a date {@code YYYY-MM-DD} meaning that
   * date's midnight in {@code zone}.
   */
  public static Instant parseBound(String text, ZoneId zone) {
    String t = text.trim();
    if (t.length() == 10) {
      try {
        return LocalDate.parse(t).atStartOfDay(zone).toInstant();
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("must be a date YYYY-MM-DD or an RFC 3339 timestamp", e);
      }
    }
    return parse(t);
  }

  /** Parses an IANA zone name (or {@code UTC}). */
  public static ZoneId zone(String name) {
    try {
      ZoneId zone = ZoneId.of(name.trim());
      // Fixed offsets such as +05:30 are valid Java zones but not IANA names; the store's engine needs IANA names.
      if (!name.equals("UTC") && !name.equals("Z") && !name.contains("/")) {
        throw new IllegalArgumentException("must be an IANA time zone name such as Europe/Paris or UTC");
      }
      return name.equals("Z") ? ZoneId.of("UTC") : zone;
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("is not a known IANA time zone (such as Europe/Paris or UTC)", e);
    }
  }
}
