package dev.tally.api;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * One thing wrong with an input, precise enough to fix it: where (event index or file line), which field, what was
 * wrong, and what was given.
 *
 * @param index zero-based index of the event in its batch, if the input is a batch
 * @param line one-based line (or CSV row) in a file, if the input is a file
 * @param field the field at fault ({@code time}, {@code data.tokens}, {@code meters[2].slug}...)
 * @param message what was wrong
 * @param given the offending value, shortened, if there was one
 */
public record Problem(OptionalLong index, OptionalLong line, String field, String message, Optional<String> given) {
  private static final int MAX_GIVEN = 80;

  public Problem {
    requireNonNull(index, "index is null");
    requireNonNull(line, "line is null");
    requireNonNull(field, "field is null");
    requireNonNull(message, "message is null");
    requireNonNull(given, "given is null");
    given = given.map(Problem::shorten);
  }

  /** A problem with a field and no position. */
  public static Problem of(String field, String message) {
    return new Problem(OptionalLong.empty(), OptionalLong.empty(), field, message, Optional.empty());
  }

  /** A problem with a field, the value given, and no position. */
  public static Problem of(String field, String message, String given) {
    return new Problem(OptionalLong.empty(), OptionalLong.empty(), field, message, Optional.ofNullable(given));
  }

  /** This problem located at an event index in a batch. */
  public Problem atIndex(long index) {
    return new Problem(OptionalLong.of(index), line, field, message, given);
  }

  /** This problem located at a line of a file. */
  public Problem atLine(long line) {
    return new Problem(index, OptionalLong.of(line), field, message, given);
  }

  /** A one-line human description, e.g. {@code line 12: time: not an RFC 3339 timestamp (given "yesterday")}. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    line.ifPresent(l -> sb.append("line ").append(l).append(": "));
    if (line.isEmpty()) {
      index.ifPresent(i -> sb.append("event ").append(i).append(": "));
    }
    sb.append(field).append(": ").append(message);
    given.ifPresent(g -> sb.append(" (given \"").append(g).append("\")"));
    return sb.toString();
  }

  private static String shorten(String s) {
    return s.length() <= MAX_GIVEN ? s : s.substring(0, MAX_GIVEN) + "...";
  }
}
