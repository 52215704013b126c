package dev.tally.core.meters;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.api.Aggregation;
import dev.tally.api.Meter;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.json.Json;
import dev.tally.core.events.Text;
import dev.tally.core.time.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reading, validating and writing meter definitions, with OpenMeter's field names.
 *
 * <p>A meters file is YAML or JSON with a top-level {@code meters} list. Every problem in the file is reported, each
 * named by its path ({@code meters[2].valueProperty}), before anything is applied.
 */
public final class MeterDefinitions {
  /** Meter slugs: lower-case letters, digits, {@code _} and {@code -}, starting with a letter or digit. */
  public static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  /** Group-by keys: identifiers, so that they read well as query parameters and CSV headers. */
  public static final Pattern GROUP_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  /** Most group-by keys a meter may have. */
  public static final int MAX_GROUP_BY = 16;

  /** Longest event type a meter may count: the same limit as an event's {@code type}. */
  public static final int MAX_EVENT_TYPE_LENGTH = dev.tally.core.events.EventLimits.MAX_ATTRIBUTE_LENGTH;

  /** Longest description. */
  public static final int MAX_DESCRIPTION_LENGTH = 2048;

  /** Longest JSONPath ({@code valueProperty} or a group-by path). */
  public static final int MAX_PATH_LENGTH = 512;

  private static final Set<String> FIELDS =
      Set.of("slug", "description", "eventType", "aggregation", "valueProperty", "groupBy", "eventFrom", "name", "id");

  private MeterDefinitions() {}

  /** Parses a meters file (YAML or JSON; JSON is YAML, so one parser reads both). */
  public static List<Meter> parseFile(String text, String fileName) {
    JsonNode root;
    try {
      root = Json.yaml().readTree(text);
    } catch (JsonProcessingException e) {
      throw TallyException.invalid(Problem.of(fileName, "is neither valid YAML nor JSON: " + e.getOriginalMessage()));
    }
    if (root == null || !root.isObject() || !root.has("meters")) {
      throw TallyException.invalid(Problem.of(fileName, "must have a top-level 'meters' list"));
    }
    JsonNode list = root.get("meters");
    if (!list.isArray()) {
      throw TallyException.invalid(Problem.of("meters", "must be a list of meter definitions"));
    }
    List<Meter> meters = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String at = "meters[" + i + "]";
      List<Problem> mine = new ArrayList<>();
      Optional<Meter> meter = parse(list.get(i), at, mine);
      problems.addAll(mine);
      meter.ifPresent(m -> {
        if (!seen.add(m.slug())) {
          problems.add(Problem.of(at + ".slug", "is declared twice in this file", m.slug()));
        } else {
          meters.add(m);
        }
      });
    }
    if (!problems.isEmpty()) {
      throw TallyException.invalid(problems.size() + " problem(s) in " + fileName, problems);
    }
    return meters;
  }

  /** Parses one meter definition (the body of an API request); throws with every problem found. */
  public static Meter parseOne(JsonNode node) {
    List<Problem> problems = new ArrayList<>();
    Optional<Meter> meter = parse(node, "", problems);
    if (!problems.isEmpty()) {
      throw TallyException.invalid("invalid meter definition", problems);
    }
    return meter.orElseThrow();
  }

  /** Validates an already-built meter (as code builds them); throws with every problem found. */
  public static Meter validate(Meter meter) {
    return parseOne(toJson(meter));
  }

  private static Optional<Meter> parse(JsonNode node, String at, List<Problem> problems) {
    String prefix = at.isEmpty() ? "" : at + ".";
    if (node == null || !node.isObject()) {
      problems.add(Problem.of(at.isEmpty() ? "meter" : at, "must be an object"));
      return Optional.empty();
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        problems.add(Problem.of(prefix + f, "is not a meter field (expected one of slug, description, eventType, "
            + "aggregation, valueProperty, groupBy, eventFrom)"));
      }
    }
    int before = problems.size();
    String slug = text(node, "slug", prefix, problems, true);
    if (slug != null && !SLUG.matcher(slug).matches()) {
      problems.add(Problem.of(prefix + "slug",
          "must be 1-63 lower-case letters, digits, '_' or '-', starting with a letter or digit", slug));
    }
    String description = Optional.ofNullable(text(node, "description", prefix, problems, false)).orElse("");
    String eventType = text(node, "eventType", prefix, problems, true);
    String aggText = text(node, "aggregation", prefix, problems, true);
    Aggregation aggregation = null;
    if (aggText != null) {
      try {
        aggregation = Aggregation.valueOf(aggText.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problems.add(Problem.of(prefix + "aggregation", "must be one of " + Arrays.toString(Aggregation.values()), aggText));
      }
    }
    String valueProperty = text(node, "valueProperty", prefix, problems, false);
    if (aggregation != null) {
      if (aggregation.needsValue() && valueProperty == null) {
        problems.add(Problem.of(prefix + "valueProperty", "is required for aggregation " + aggregation));
      }
      if (!aggregation.needsValue() && valueProperty != null) {
        problems.add(Problem.of(prefix + "valueProperty", "must be absent for COUNT, which counts events", valueProperty));
      }
    }
    if (valueProperty != null) {
      try {
        JsonPaths.parse(valueProperty);
      } catch (IllegalArgumentException e) {
        problems.add(Problem.of(prefix + "valueProperty", e.getMessage(), valueProperty));
      }
    }
    Map<String, String> groupBy = new LinkedHashMap<>();
    JsonNode gb = node.get("groupBy");
    if (gb != null && !gb.isNull()) {
      if (!gb.isObject()) {
        problems.add(Problem.of(prefix + "groupBy", "must be a map of key to JSONPath"));
      } else {
        if (gb.size() > MAX_GROUP_BY) {
          problems.add(Problem.of(prefix + "groupBy", "has " + gb.size() + " keys, over the limit of " + MAX_GROUP_BY));
        }
        for (Map.Entry<String, JsonNode> e : gb.properties()) {
          String key = e.getKey();
          String field = prefix + "groupBy." + key;
          if (!GROUP_KEY.matcher(key).matches()) {
            problems.add(Problem.of(prefix + "groupBy", "has a key that is not an identifier (1-63 letters, digits "
                + "and '_', starting with a letter or '_')", Text.printable(key)));
          } else if (key.equals("subject")) {
            problems.add(Problem.of(field, "'subject' is reserved: every query can already group by subject"));
          }
          if (!e.getValue().isTextual()) {
            problems.add(Problem.of(field, "must be a JSONPath string", e.getValue().toString()));
            continue;
          }
          if (e.getValue().textValue().length() > MAX_PATH_LENGTH) {
            problems.add(Problem.of(field, "is " + e.getValue().textValue().length()
                + " characters, over the limit of " + MAX_PATH_LENGTH));
            continue;
          }
          try {
            JsonPaths.parse(e.getValue().textValue());
          } catch (IllegalArgumentException ex) {
            problems.add(Problem.of(field, ex.getMessage(), e.getValue().textValue()));
          }
          groupBy.put(key, e.getValue().textValue());
        }
      }
    }
    Optional<Instant> eventFrom = Optional.empty();
    String from = text(node, "eventFrom", prefix, problems, false);
    if (from != null) {
      try {
        eventFrom = Optional.of(Timestamps.parse(from));
      } catch (IllegalArgumentException e) {
        problems.add(Problem.of(prefix + "eventFrom", e.getMessage(), from));
      }
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new Meter(slug, description, eventType, aggregation, Optional.ofNullable(valueProperty),
        groupBy, eventFrom));
  }

  private static String text(JsonNode node, String field, String prefix, List<Problem> problems, boolean required) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        problems.add(Problem.of(prefix + field, "is required"));
      }
      return null;
    }
    if (!v.isTextual()) {
      problems.add(Problem.of(prefix + field, "must be a string", v.toString()));
      return null;
    }
    String t = v.textValue();
    if (required && t.isBlank()) {
      problems.add(Problem.of(prefix + field, "must not be empty"));
      return null;
    }
    // A description may hold line breaks and tabs; every other field is one line of text.
    String bad = Text.problem(field.equals("description") ? t.replace('\n', ' ').replace('\t', ' ') : t, true);
    if (bad != null) {
      problems.add(Problem.of(prefix + field, bad, Text.printable(t)));
      return null;
    }
    int max = switch (field) {
      case "eventType" -> MAX_EVENT_TYPE_LENGTH;
      case "description" -> MAX_DESCRIPTION_LENGTH;
      case "valueProperty" -> MAX_PATH_LENGTH;
      default -> 256;
    };
    if (t.length() > max) {
      problems.add(Problem.of(prefix + field, "is " + t.length() + " characters, over the limit of " + max,
          t.substring(0, 64) + "..."));
      return null;
    }
    return t;
  }

  /** A meter as JSON, with OpenMeter's field names; absent optional fields are left out. */
  public static ObjectNode toJson(Meter meter) {
    ObjectNode n = Json.json().createObjectNode();
    n.put("slug", meter.slug());
    n.put("description", meter.description());
    n.put("eventType", meter.eventType());
    n.put("aggregation", meter.aggregation().name());
    meter.valueProperty().ifPresent(v -> n.put("valueProperty", v));
    ObjectNode gb = n.putObject("groupBy");
    meter.groupBy().forEach(gb::put);
    meter.eventFrom().ifPresent(f -> n.put("eventFrom", f.toString()));
    return n;
  }

  /** Meters as a JSON array. */
  public static ArrayNode toJson(List<Meter> meters) {
    ArrayNode a = Json.json().createArrayNode();
    meters.forEach(m -> a.add(toJson(m)));
    return a;
  }
}
