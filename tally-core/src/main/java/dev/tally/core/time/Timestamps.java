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
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
      .appendOffset("+HH:MM", "Z")
      .toFormatter()
      // Strict: February 29th of 2023 is an error, not silently the 28th.
      .withResolverStyle(java.time.format.ResolverStyle.STRICT);

  /**
   * The earliest instant Tally accepts: RFC 3339 writes years with four digits, and year 0000 has no place in the
   * proleptic calendars that producers, databases and query engines agree on, so years run from 0001.
   */
  public static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");

  /** The latest instant Tally accepts: the last nanosecond of year 9999, the largest four-digit year. */
  public static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");

  private static final String RANGE = "years 0001 to 9999 (from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z)";

  private Timestamps() {}

  /**
   * Parses an RFC 3339 timestamp with a UTC offset, within {@link #MIN} and {@link #MAX}.
   *
   * <p>Nothing around the text is forgiven: a leading or trailing space, NUL or other control character is an error,
   * so that what is stored is exactly what was meant.
   *
   * @throws IllegalArgumentException with a message naming the expected form
   */
  public static Instant parse(String text) {
    // Hot path of ingestion: a hand-rolled reader of the fixed RFC 3339 layout is ~20x faster than java.time's
    // formatter. Anything it does not recognise goes to the formatter, which then decides (and words the error).
    Instant fast = parseFast(text);
    if (fast != null) {
      return inRange(fast);
    }
    OffsetDateTime parsed;
    try {
      parsed = OffsetDateTime.parse(text, RFC_3339);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "must be an RFC 3339 timestamp with a UTC offset, such as 2024-04-01T12:00:00Z", e);
    }
    // ISO_LOCAL_DATE also reads signed and five-digit years (+10000, -0001), which RFC 3339 does not have.
    if (parsed.getYear() < 1 || parsed.getYear() > 9999) {
      throw new IllegalArgumentException("is outside the supported range: " + RANGE);
    }
    return inRange(parsed.toInstant());
  }

  /** The instant itself if it lies within {@link #MIN} and {@link #MAX}. */
  static Instant inRange(Instant t) {
    if (t.isBefore(MIN) || t.isAfter(MAX)) {
      throw new IllegalArgumentException("is outside the supported range: " + RANGE);
    }
    return t;
  }

  /** {@code YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)}, or null for anything else (including invalid dates). */
  static Instant parseFast(String s) {
    int n = s.length();
    if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(13) != ':' || s.charAt(16) != ':') {
      return null;
    }
    char sep = s.charAt(10);
    if (sep != 'T' && sep != 't' && sep != ' ') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 59 || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
      return null;
    }
    int i = 19;
    int nanos = 0;
    if (i < n && s.charAt(i) == '.') {
      int start = ++i;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      int len = i - start;
      if (len < 1 || len > 9) {
        return null;
      }
      nanos = digits(s, start, len);
      for (int k = len; k < 9; k++) {
        nanos *= 10;
      }
    }
    int offsetSeconds;
    if (i == n - 1 && (s.charAt(i) == 'Z' || s.charAt(i) == 'z')) {
      offsetSeconds = 0;
    } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
      int oh = digits(s, i + 1, 2);
      int om = digits(s, i + 4, 2);
      if (oh < 0 || oh > 23 || om < 0 || om > 59) {
        return null;
      }
      offsetSeconds = (oh * 3600 + om * 60) * (s.charAt(i) == '-' ? -1 : 1);
    } else {
      return null;
    }
    long days = LocalDate.of(year, month, day).toEpochDay();
    long epoch = days * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
    return Instant.ofEpochSecond(epoch, nanos);
  }

  /** The non-negative number in {@code len} ASCII digits at {@code from}, or -1. */
  private static int digits(String s, int from, int len) {
    int v = 0;
    for (int i = from; i < from + len; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /**
   * Parses a user-given instant for a query bound: an RFC 3339 timestamp, or a date {@code YYYY-MM-DD} meaning that
   * date's midnight in {@code zone}.
   */
  public static Instant parseBound(String text, ZoneId zone) {
    // Spaces around a bound typed on a command line are forgiven; control characters are not (strip keeps them).
    String t = text.strip();
    if (t.length() == 10) {
      LocalDate date;
      try {
        date = LocalDate.parse(t);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("must be a date YYYY-MM-DD or an RFC 3339 timestamp", e);
      }
      if (date.getYear() < 1) {
        throw new IllegalArgumentException("is outside the supported range: " + RANGE);
      }
      return inRange(date.atStartOfDay(zone).toInstant());
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
