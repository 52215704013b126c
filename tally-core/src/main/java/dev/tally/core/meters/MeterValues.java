package dev.tally.core.meters;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.api.Aggregation;
import dev.tally.api.Event;
import dev.tally.api.Meter;
import dev.tally.api.Problem;
import dev.tally.core.json.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The rules by which a meter reads its value from an event, in Java, so that a batch can be judged whole before it
 * joins a shared commit (one tenant's misfit must never fail another tenant's write).
 *
 * <p>The store applies the same rules in SQL inside the commit ({@code MeterSql.valid}); both are written from this
 * page and tested against each other. A value fits a numeric meter (SUM, AVG, MIN, MAX, LATEST, the time-weighted
 * ones) when it is exact in DECIMAL(38,9), at most {@link #MAX_INTEGER_DIGITS} integer digits and
 * {@link #MAX_DECIMALS} decimals:
 * <ul>
 *   <li>a JSON number, as the store reads it (an integer within 64 bits, or the shortest decimal of its double:
 *       the event's own check, {@code DataRules}, has already refused a number that would read differently);</li>
 *   <li>a string holding a plain decimal, {@code "-12.50"}: optional sign, digits, optional fraction; further
 *       decimals only if they are zeros. No exponent, no spaces: a numeric string is exact by construction.</li>
 * </ul>
 * UNIQUE_COUNT takes a non-empty string or a number. A missing or null value, a boolean, an object or an array never
 * fits: a value is never counted as zero.
 */
public final class MeterValues {
  /** Integer digits a meter value may have: DECIMAL(38,9) keeps 29. */
  public static final int MAX_INTEGER_DIGITS = 29;

  /** Decimals a meter value may have. */
  public static final int MAX_DECIMALS = 9;

  /**
   * A numeric string: sign, up to 29 integer digits (after leading zeros), optional fraction of up to 9 digits then
   * only zeros. The store's SQL uses the same expression ({@link #NUMERIC_STRING_REGEX}).
   */
  public static final String NUMERIC_STRING_REGEX = "[+-]?0*[0-9]{1,29}(\\.[0-9]{0,9}0*)?";

  private static final Pattern NUMERIC_STRING = Pattern.compile(NUMERIC_STRING_REGEX);

  private MeterValues() {}

  /**
   * Every value in the events that does not fit one of the meters, by event index, in the order of the events.
   *
   * @param ingestTime the time given to events that have none (it decides whether a meter's {@code eventFrom} applies)
   */
  public static List<Problem> check(List<Meter> meters, List<Event> events, Instant ingestTime) {
    List<Problem> problems = new ArrayList<>();
    if (meters.stream().noneMatch(m -> m.aggregation().needsValue())) {
      return problems;
    }
    for (int i = 0; i < events.size(); i++) {
      Event e = events.get(i);
      JsonNode data = null;
      for (Meter m : meters) {
        if (!m.aggregation().needsValue() || !m.eventType().equals(e.type())) {
          continue;
        }
        Instant ts = e.time().orElse(ingestTime);
        if (m.eventFrom().isPresent() && ts.isBefore(m.eventFrom().get())) {
          continue;
        }
        if (data == null) {
          data = parse(e.data());
        }
        JsonNode v = at(data, JsonPaths.parse(m.valueProperty().orElseThrow()));
        if (!fits(m.aggregation(), v)) {
          String given = v == null || v.isNull() ? null : v.isTextual() ? v.textValue() : v.toString();
          problems.add(new Problem(OptionalLong.of(i), OptionalLong.empty(), field(m),
              invalidMessage(m, v == null ? null : v.isNull() ? "NULL" : "value"), Optional.ofNullable(given)));
        }
      }
    }
    return problems;
  }

  private static JsonNode parse(String data) {
    try {
      return Json.json().readTree(data);
    } catch (IOException e) {
      // The decoder has already checked data; text that is not JSON here is a bug, not the producer's fault.
      throw new IllegalStateException("event data that passed decoding is not JSON", e);
    }
  }

  /** The value at a path, or null when absent (a member of a non-object, an index past the end). */
  static JsonNode at(JsonNode data, List<JsonPaths.Step> steps) {
    JsonNode n = data;
    for (JsonPaths.Step s : steps) {
      if (n == null) {
        return null;
      }
      if (s instanceof JsonPaths.Member m) {
        n = n.isObject() ? n.get(m.name()) : null;
      } else if (s instanceof JsonPaths.Index ix) {
        n = n.isArray() ? n.get(ix.index()) : null;
      }
    }
    return n;
  }

  /** Whether a value (null when absent) fits an aggregation that needs one. */
  static boolean fits(Aggregation a, JsonNode v) {
    if (v == null || v.isNull()) {
      return false;
    }
    if (!a.numericValue()) {
      return v.isNumber() || (v.isTextual() && !v.textValue().isEmpty());
    }
    if (v.isTextual()) {
      return NUMERIC_STRING.matcher(v.textValue()).matches();
    }
    if (!v.isNumber()) {
      return false;
    }
    BigDecimal d = v.isIntegralNumber() ? new BigDecimal(v.bigIntegerValue())
        : new BigDecimal(Double.toString(v.doubleValue()));
    return fitsDecimal(d);
  }

  /** Whether an exact number fits DECIMAL(38,9) without rounding. */
  static boolean fitsDecimal(BigDecimal d) {
    BigDecimal s = d.stripTrailingZeros();
    int scale = Math.max(s.scale(), 0);
    int integerDigits = s.precision() - s.scale();
    return scale <= MAX_DECIMALS && integerDigits <= MAX_INTEGER_DIGITS;
  }

  /** The field a meter's value comes from, as users name it: {@code data.tokens} for {@code $.tokens}. */
  public static String field(Meter meter) {
    return meter.valueProperty().map(p -> "data" + p.trim().substring(1)).orElse("data");
  }

  /**
   * What a user is told about a value that does not fit.
   *
   * @param kind null when the value is missing, {@code "NULL"} when it is JSON null, anything else when present
   */
  public static String invalidMessage(Meter meter, String kind) {
    String needs = meter.aggregation().numericValue()
        ? "a number or a numeric string such as \"12.5\" (exact: at most " + MAX_INTEGER_DIGITS + " integer digits and "
            + MAX_DECIMALS + " decimals, no exponent in strings)"
        : "a non-empty string or a number";
    if (kind == null) {
      return "is missing; meter '" + meter.slug() + "' (" + meter.aggregation() + ") needs " + needs;
    }
    if (kind.equals("NULL")) {
      return "is null; meter '" + meter.slug() + "' (" + meter.aggregation() + ") needs " + needs;
    }
    return "does not fit meter '" + meter.slug() + "' (" + meter.aggregation() + "), which needs " + needs;
  }
}
