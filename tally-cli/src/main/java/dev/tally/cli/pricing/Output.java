package dev.tally.cli.pricing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.api.ErrorCode;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.json.Json;
import dev.tally.core.text.Enums;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;

/** Output formats and argument parsing shared by the pricing commands. */
final class Output {
  /** What {@code --format} takes. */
  enum Format {
    JSON,
    CSV,
    TABLE;

    static Format parse(String s) {
      try {
        return Enums.parse(Format.class, s);
      } catch (IllegalArgumentException e) {
        throw TallyException.invalid(Problem.of("--format", e.getMessage(), s));
      }
    }
  }

  private Output() {}

  static String json(JsonNode n) {
    try {
      return Json.json().writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n";
    } catch (JsonProcessingException e) {
      throw new TallyException(ErrorCode.INTERNAL, "cannot write JSON: " + e.getMessage(), e);
    }
  }

  static YearMonth month(String option, String s) {
    try {
      return YearMonth.parse(s.trim());
    } catch (DateTimeParseException e) {
      throw TallyException.invalid(Problem.of(option, "must be a month YYYY-MM, such as 2024-04", s));
    }
  }

  static java.time.LocalDate date(String option, String s) {
    try {
      return java.time.LocalDate.parse(s.trim());
    } catch (DateTimeParseException e) {
      throw TallyException.invalid(Problem.of(option, "must be a date YYYY-MM-DD", s));
    }
  }
}
