package dev.tally.core.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.api.Event;
import dev.tally.api.Problem;
import dev.tally.core.json.Json;
import dev.tally.core.time.Timestamps;
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
 * stored.
 */
public final class EventDecoder {
  private EventDecoder() {}

  /** Parses and decodes one event from JSON text. */
  public static DecodedEvent decode(String text) {
    int bytes = utf8Length(text);
    if (bytes > EventLimits.MAX_EVENT_BYTES) {
      return DecodedEvent.invalid(List.of(Problem.of(
          "event", "is " + bytes + " bytes, over the limit of " + EventLimits.MAX_EVENT_BYTES + " bytes")));
    }
    JsonNode node;
    try {
      node = Json.json().readTree(text);
    } catch (JsonProcessingException e) {
      return DecodedEvent.invalid(List.of(Problem.of("event", "is not valid JSON: " + e.getOriginalMessage())));
    }
    if (node == null || node.isMissingNode()) {
      return DecodedEvent.invalid(List.of(Problem.of("event", "is empty")));
    }
    return decode(node, bytes);
  }

  /**
   * Decodes one already-parsed JSON value.
   *
   * @param node the value
   * @param sizeBytes its size as JSON text in bytes, or -1 to compute it
   */
  public static DecodedEvent decode(JsonNode node, int sizeBytes) {
    List<Problem> problems = new ArrayList<>();
    if (!node.isObject()) {
      return DecodedEvent.invalid(List.of(Problem.of("event", "must be a JSON object, not " + kind(node))));
    }
    if (sizeBytes < 0) {
      sizeBytes = utf8Length(node.toString());
    }
    if (sizeBytes > EventLimits.MAX_EVENT_BYTES) {
      problems.add(Problem.of(
          "event", "is " + sizeBytes + " bytes, over the limit of " + EventLimits.MAX_EVENT_BYTES + " bytes"));
    }
    String id = requiredString(node, "id", problems);
    String source = requiredString(node, "source", problems);
    String type = requiredString(node, "type", problems);
    String subject = requiredString(node, "subject", problems);
    String specversion = requiredString(node, "specversion", problems);
    if (specversion != null && !Event.SPEC_VERSION.equals(specversion)) {
      problems.add(Problem.of("specversion", "must be \"1.0\" (the only CloudEvents version supported)", specversion));
    }
    Optional<Instant> time = Optional.empty();
    JsonNode timeNode = node.get("time");
    if (timeNode != null && !timeNode.isNull()) {
      if (!timeNode.isTextual()) {
        problems.add(Problem.of("time", "must be an RFC 3339 timestamp string, not " + kind(timeNode), timeNode.toString()));
      } else {
        try {
          time = Optional.of(Timestamps.parse(timeNode.textValue()));
        } catch (IllegalArgumentException e) {
          problems.add(Problem.of("time", e.getMessage(), timeNode.textValue()));
        }
      }
    }
    String data = "{}";
    JsonNode dataNode = node.get("data");
    if (dataNode != null && !dataNode.isNull()) {
      if (!dataNode.isObject()) {
        problems.add(Problem.of("data", "must be a JSON object, not " + kind(dataNode), dataNode.toString()));
      } else {
        data = dataNode.toString();
      }
    }
    Optional<String> contentType = optionalString(node, "datacontenttype", problems);
    Optional<String> schema = optionalString(node, "dataschema", problems);
    if (!problems.isEmpty()) {
      return DecodedEvent.invalid(problems);
    }
    return DecodedEvent.valid(new Event(id, source, specversion, type, subject, time, data, contentType, schema));
  }

  private static String requiredString(JsonNode node, String field, List<Problem> problems) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      problems.add(Problem.of(field, "is required"));
      return null;
    }
    if (!value.isTextual()) {
      problems.add(Problem.of(field, "must be a string, not " + kind(value), value.toString()));
      return null;
    }
    String text = value.textValue();
    if (text.isBlank()) {
      problems.add(Problem.of(field, "must not be empty", text));
      return null;
    }
    if (text.length() > EventLimits.MAX_ATTRIBUTE_LENGTH) {
      problems.add(Problem.of(field, "is " + text.length() + " characters, over the limit of "
          + EventLimits.MAX_ATTRIBUTE_LENGTH, text));
      return null;
    }
    return text;
  }

  private static Optional<String> optionalString(JsonNode node, String field, List<Problem> problems) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      problems.add(Problem.of(field, "must be a string, not " + kind(value), value.toString()));
      return Optional.empty();
    }
    return Optional.of(value.textValue());
  }

  /** A short name for a JSON value's kind, for messages. */
  static String kind(JsonNode node) {
    if (node.isObject()) {
      return "an object";
    } else if (node.isArray()) {
      return "an array";
    } else if (node.isTextual()) {
      return "a string";
    } else if (node.isNumber()) {
      return "a number";
    } else if (node.isBoolean()) {
      return "a boolean";
    } else if (node.isNull()) {
      return "null";
    }
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static int utf8Length(String s) {
    // Fast path: for ASCII text the length is the byte count; only count exactly when it could matter.
    if (s.length() * 3 <= EventLimits.MAX_EVENT_BYTES) {
      return s.length();
    }
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
