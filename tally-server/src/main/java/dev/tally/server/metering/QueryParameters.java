package dev.tally.server.metering;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.api.Problem;
import dev.tally.api.UsageQuery;
import dev.tally.api.WindowSize;
import dev.tally.core.time.Timestamps;
import dev.tally.server.spi.HttpProblem;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A meter query's parameters with OpenMeter's names, from a query string ({@code ?from=...&subject=a&subject=b
 * &filterGroupBy[model]=gpt-4}) or from a JSON body ({@code {"from": ..., "subject": ["a"], "filterGroupBy":
 * {"model": ["gpt-4"]}}}); both are read into the same form and checked by the same rules, every problem reported.
 *
 * <p>{@code from} and {@code to} take RFC 3339 timestamps or {@code YYYY-MM-DD} dates (midnight in
 * {@code windowTimeZone}); {@code to} is exclusive. When absent, {@code to} is now and {@code from} is the start of
 * the meter's first event (see {@link QueryRoutes}).
 */
final class QueryParameters {
  static final String FILTER_PREFIX = "filterGroupBy[";
  private static final Set<String> NAMES =
      Set.of("from", "to", "windowSize", "windowTimeZone", "subject", "groupBy", "filterGroupBy", "clientId");

  /** Parameters as read, before the meter is known. */
  record Parsed(
      Optional<Instant> from,
      Optional<Instant> to,
      Optional<WindowSize> windowSize,
      ZoneId zone,
      List<String> subjects,
      List<String> groupBy,
      Map<String, String> filterGroupBy) {

    UsageQuery toQuery(String slug, Instant from, Instant to) {
      return new UsageQuery(slug, from, to, windowSize, zone, subjects, groupBy, filterGroupBy);
    }
  }

  private QueryParameters() {}

  /**
   * Reads parameters; throws 400 with every problem.
   *
   * @param params name to values, {@code filterGroupBy[key]} names included
   * @param allowSubject whether {@code subject} may be given (not with a portal token, which fixes it)
   */
  static Parsed parse(Map<String, List<String>> params, boolean allowSubject) {
    List<Problem> problems = new ArrayList<>();
    Map<String, String> filters = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : new TreeMap<>(params).entrySet()) {
      String name = e.getKey();
      if (name.startsWith(FILTER_PREFIX) && name.endsWith("]") && name.length() > FILTER_PREFIX.length() + 1) {
        String key = name.substring(FILTER_PREFIX.length(), name.length() - 1);
        if (e.getValue().size() != 1) {
          problems.add(Problem.of(name, "takes exactly one value (given " + e.getValue().size() + ")"));
        } else {
          filters.put(key, e.getValue().get(0));
        }
      } else if (!NAMES.contains(name) || name.equals("filterGroupBy") || (!allowSubject && name.equals("subject"))) {
        problems.add(Problem.of(name, allowSubject || !name.equals("subject")
            ? "is not a query parameter (expected from, to, windowSize, windowTimeZone, subject, groupBy, "
                + "filterGroupBy[key])"
            : "cannot be given with a portal token, which sees only its own subject"));
      }
    }
    // The engine needs the IANA name UTC, not Java's offset id Z.
    ZoneId zone = ZoneId.of("UTC");
    String zoneText = single(params, "windowTimeZone", problems);
    if (zoneText != null) {
      try {
        zone = Timestamps.zone(zoneText);
      } catch (IllegalArgumentException ex) {
        problems.add(Problem.of("windowTimeZone", ex.getMessage(), zoneText));
      }
    }
    Optional<WindowSize> size = Optional.empty();
    String sizeText = single(params, "windowSize", problems);
    if (sizeText != null) {
      try {
        size = Optional.of(WindowSize.valueOf(sizeText.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException ex) {
        problems.add(Problem.of("windowSize", "must be one of MINUTE, HOUR, DAY, MONTH", sizeText));
      }
    }
    Optional<Instant> from = instant(params, "from", zone, problems);
    Optional<Instant> to = instant(params, "to", zone, problems);
    if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
      problems.add(Problem.of("from", "must be before 'to' (" + to.get() + ")", from.get().toString()));
    }
    List<String> subjects = nonEmpty(params, "subject", problems);
    List<String> groupBy = nonEmpty(params, "groupBy", problems);
    if (!problems.isEmpty()) {
      throw HttpProblem.badRequest("invalid query parameters", problems);
    }
    return new Parsed(from, to, size, zone, subjects, groupBy, filters);
  }

  /** The parameters of a JSON query body ({@code POST .../query}), in query-string form. */
  static Map<String, List<String>> fromJson(JsonNode body) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    List<Problem> problems = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : body.properties()) {
      String name = e.getKey();
      JsonNode v = e.getValue();
      if (v.isNull()) {
        continue;
      }
      if (name.equals("filterGroupBy")) {
        if (!v.isObject()) {
          problems.add(Problem.of(name, "must be an object of key to value(s)"));
          continue;
        }
        v.properties().forEach(f -> params.put(FILTER_PREFIX + f.getKey() + "]", strings(f.getValue(),
            "filterGroupBy." + f.getKey(), problems)));
      } else {
        params.put(name, strings(v, name, problems));
      }
    }
    if (!problems.isEmpty()) {
      throw HttpProblem.badRequest("invalid query", problems);
    }
    return params;
  }

  private static List<String> strings(JsonNode v, String field, List<Problem> problems) {
    List<String> out = new ArrayList<>();
    if (v.isArray()) {
      v.forEach(x -> {
        if (x.isTextual()) {
          out.add(x.textValue());
        } else {
          problems.add(Problem.of(field, "must hold strings", x.toString()));
        }
      });
    } else if (v.isTextual()) {
      out.add(v.textValue());
    } else {
      problems.add(Problem.of(field, "must be a string or a list of strings", v.toString()));
    }
    return out;
  }

  private static String single(Map<String, List<String>> params, String name, List<Problem> problems) {
    List<String> v = params.get(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    if (v.size() > 1) {
      problems.add(Problem.of(name, "takes one value (given " + v.size() + ")"));
    }
    return v.get(0);
  }

  private static Optional<Instant> instant(
      Map<String, List<String>> params, String name, ZoneId zone, List<Problem> problems) {
    String text = single(params, name, problems);
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Timestamps.parseBound(text, zone));
    } catch (IllegalArgumentException e) {
      problems.add(Problem.of(name, e.getMessage().startsWith("is outside") ? e.getMessage()
          : "must be an RFC 3339 timestamp (such as 2024-04-01T00:00:00Z) or a date YYYY-MM-DD", text));
      return Optional.empty();
    }
  }

  private static List<String> nonEmpty(Map<String, List<String>> params, String name, List<Problem> problems) {
    List<String> v = params.getOrDefault(name, List.of());
    for (String s : v) {
      if (s.isBlank()) {
        problems.add(Problem.of(name, "must not be empty"));
      }
    }
    return v.stream().filter(s -> !s.isBlank()).distinct().toList();
  }
}
