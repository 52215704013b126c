package dev.tally.core.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.api.Event;
import dev.tally.api.Problem;
import dev.tally.core.json.Json;
import dev.tally.core.time.Timestamps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns one JSON value into a validated CloudEvents 1.0 {@link Event}, collecting every problem rather than stopping at
 * the first, so that a producer can fix a whole event at once.
 *
 * <p>Rules: {@code id}, {@code source}, {@code type} and {@code subject} are required non-empty strings (at most
 * {@link EventLimits#MAX_ATTRIBUTE_LENGTH} characters); {@code specversion} is required and must be {@code "1.0"};
 * {@code time}, when present, is an RFC 3339 timestamp with a UTC offset; {@code data}, when present and not null,
 * is a JSON object (absent or null data is stored as {@code {}}, which COUNT meters need no more of); the whole event
 * is at most {@link EventLimits#MAX_EVENT_BYTES} bytes. Other CloudEvents extension attributes are accepted and not
 * stored. Every attribute is valid Unicode without control characters (a lone surrogate would otherwise be stored as
 * {@code ?} and make two ids one), and {@code time} lies within years 0001-9999. {@code data} follows
 * {@link DataRules}: valid Unicode, nested at most {@link EventLimits#MAX_DATA_DEPTH} levels, and every number one the
 * store reads back exactly.
 */
public final class EventDecoder {
  private EventDecoder() {}

  /**
   * Parses and decodes one event from JSON text.
   *
   * <p>This is the hot path of file and HTTP ingestion, so it streams through the text once without building a tree,
   * and keeps {@code data} as the producer wrote it (a substring of the input), which is both faster and more faithful
   * than re-serialising it.
   */
  public static DecodedEvent decode(String text) {
    int bytes = utf8Length(text);
    if (bytes > EventLimits.MAX_EVENT_BYTES) {
      return DecodedEvent.invalid(List.of(Problem.of(
          "event", "is " + bytes + " bytes, over the limit of " + EventLimits.MAX_EVENT_BYTES + " bytes")));
    }
    try (JsonParser p = Json.json().getFactory().createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return DecodedEvent.invalid(List.of(Problem.of("event", "is empty")));
      }
      if (first != JsonToken.START_OBJECT) {
        return DecodedEvent.invalid(List.of(Problem.of("event", "must be a JSON object, not " + kind(first))));
      }
      Fields f = new Fields();
      List<Problem> problems = new ArrayList<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        switch (name) {
          case "id" -> f.id = scalar(p, t, name, f, problems);
          case "source" -> f.source = scalar(p, t, name, f, problems);
          case "type" -> f.type = scalar(p, t, name, f, problems);
          case "subject" -> f.subject = scalar(p, t, name, f, problems);
          case "specversion" -> f.specversion = scalar(p, t, name, f, problems);
          case "time" -> f.time = scalar(p, t, name, f, problems);
          case "datacontenttype" -> f.contentType = scalar(p, t, name, f, problems);
          case "dataschema" -> f.schema = scalar(p, t, name, f, problems);
          case "data" -> {
            if (t == JsonToken.START_OBJECT) {
              int start = (int) p.currentTokenLocation().getCharOffset();
              DataRules.check(p, problems);
              f.data = text.substring(start, (int) p.currentLocation().getCharOffset());
            } else if (t != JsonToken.VALUE_NULL) {
              int start = (int) p.currentTokenLocation().getCharOffset();
              p.skipChildren();
              problems.add(Problem.of("data", "must be a JSON object, not " + kind(t),
                  text.substring(start, (int) p.currentLocation().getCharOffset())));
            }
          }
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        problems.add(Problem.of("event", "has content after the closing brace"));
      }
      return build(f, problems);
    } catch (StreamConstraintsException e) {
      // Jackson's own limits (nesting, number and string length) are far above DataRules' and the event size limit,
      // so this is met only by input that is hostile or broken: it is the producer's problem, said as such.
      return DecodedEvent.invalid(List.of(Problem.of("event", "exceeds a parser limit: " + e.getOriginalMessage())));
    } catch (IOException e) {
      String msg = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
      return DecodedEvent.invalid(List.of(Problem.of("event", "is not valid JSON: " + msg)));
    }
  }

  /**
   * Validates an event given attribute by attribute (a row of a CSV or Parquet file), by the same rules as
   * {@link #decode(String)}. {@code data} must be the text of a JSON object; null attributes are absent.
   */
  public static DecodedEvent fromAttributes(String id, String source, String type, String subject, String time,
      String data, String datacontenttype, String dataschema) {
    Fields f = new Fields();
    f.id = id;
    f.source = source;
    f.type = type;
    f.subject = subject;
    f.specversion = Event.SPEC_VERSION;
    f.time = time;
    f.data = data;
    f.contentType = datacontenttype;
    f.schema = dataschema;
    List<Problem> problems = new ArrayList<>();
    int bytes = utf8Length(data == null ? "" : data);
    if (bytes > EventLimits.MAX_EVENT_BYTES) {
      problems.add(Problem.of("data", "is " + bytes + " bytes, over the limit of " + EventLimits.MAX_EVENT_BYTES
          + " bytes"));
    } else if (data != null) {
      checkDataText(data, problems);
    }
    return build(f, problems);
  }

  /** The raw attribute values of one event; null where absent, JSON null, or of the wrong kind. */
  private static final class Fields {
    String id;
    String source;
    String type;
    String subject;
    String specversion;
    String time;
    String contentType;
    String schema;
    String data;
    /** Attributes whose problem is already reported, so that they are not also called missing. */
    final java.util.Set<String> reported = new java.util.HashSet<>();
  }

  private static String scalar(JsonParser p, JsonToken t, String name, Fields f, List<Problem> problems)
      throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    String given = t.isScalarValue() ? p.getText() : null;
    p.skipChildren();
    f.reported.add(name);
    problems.add(given == null
        ? Problem.of(name, "must be a string, not " + kind(t))
        : Problem.of(name, "must be a string, not " + kind(t), given));
    return null;
  }

  /** Checks the text of a {@code data} object given apart from its event (a column of a CSV or Parquet row). */
  private static void checkDataText(String data, List<Problem> problems) {
    try (JsonParser p = Json.json().getFactory().createParser(data)) {
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_OBJECT) {
        problems.add(Problem.of("data", "must be a JSON object, not " + (t == null ? "empty text" : kind(t))));
        return;
      }
      DataRules.check(p, problems);
      if (p.nextToken() != null) {
        problems.add(Problem.of("data", "has content after the closing brace"));
      }
    } catch (StreamConstraintsException e) {
      problems.add(Problem.of("data", "exceeds a parser limit: " + e.getOriginalMessage()));
    } catch (IOException e) {
      String msg = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
      problems.add(Problem.of("data", "is not valid JSON: " + msg));
    }
  }

  private static DecodedEvent build(Fields f, List<Problem> problems) {
    String id = required(f.id, "id", f, problems);
    String source = required(f.source, "source", f, problems);
    String type = required(f.type, "type", f, problems);
    String subject = required(f.subject, "subject", f, problems);
    String specversion = required(f.specversion, "specversion", f, problems);
    f.contentType = optionalText(f.contentType, "datacontenttype", problems);
    f.schema = optionalText(f.schema, "dataschema", problems);
    if (specversion != null && !Event.SPEC_VERSION.equals(specversion)) {
      problems.add(Problem.of("specversion", "must be \"1.0\" (the only CloudEvents version supported)", specversion));
    }
    Optional<Instant> time = Optional.empty();
    if (f.time != null && !f.reported.contains("time")) {
      try {
        time = Optional.of(Timestamps.parse(f.time));
      } catch (IllegalArgumentException e) {
        problems.add(Problem.of("time", e.getMessage(), f.time));
      }
    }
    if (!problems.isEmpty()) {
      return DecodedEvent.invalid(problems);
    }
    return DecodedEvent.valid(new Event(id, source, specversion, type, subject, time, f.data == null ? "{}" : f.data,
        Optional.ofNullable(f.contentType), Optional.ofNullable(f.schema)));
  }

  private static String required(String value, String field, Fields f, List<Problem> problems) {
    if (f.reported.contains(field)) {
      return null;
    }
    if (value == null) {
      problems.add(Problem.of(field, "is required"));
      return null;
    }
    if (value.isBlank()) {
      problems.add(Problem.of(field, "must not be empty", value));
      return null;
    }
    return optionalText(value, field, problems);
  }

  /** An attribute checked for its length and for valid Unicode without control characters; null if absent or bad. */
  private static String optionalText(String value, String field, List<Problem> problems) {
    if (value == null) {
      return null;
    }
    if (value.length() > EventLimits.MAX_ATTRIBUTE_LENGTH) {
      problems.add(Problem.of(field, "is " + value.length() + " characters, over the limit of "
          + EventLimits.MAX_ATTRIBUTE_LENGTH, Text.printable(value)));
      return null;
    }
    String bad = Text.problem(value, true);
    if (bad != null) {
      problems.add(Problem.of(field, bad, Text.printable(value)));
      return null;
    }
    return value;
  }

  private static String kind(JsonToken t) {
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /**
   * Decodes one already-parsed JSON value (an element of a JSON array, a row built from a CSV file) by the same
   * rules as {@link #decode(String)}.
   */
  public static DecodedEvent decode(JsonNode node) {
    return decode(node.toString());
  }

  private static int utf8Length(String s) {
    // Fast path: for ASCII text the length is the byte count; only count exactly when it could matter.
    if (s.length() * 3 <= EventLimits.MAX_EVENT_BYTES) {
      return s.length();
    }
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
