package dev.tally.server.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one set of rules by which route groups read fields of a JSON request body: a field that is absent or
 * {@code null} is not given; a field of the wrong type is refused with a problem naming it (never silently read as
 * absent or converted), so that the same mistake gets the same answer on every route.
 */
public final class JsonFields {
  private JsonFields() {}

  /** A string field that must be given. */
  public static String text(JsonNode body, String field) {
    return optionalText(body, field)
        .orElseThrow(() -> TallyException.invalid(Problem.of(field, "is required")));
  }

  /** A string field, or empty when it is absent or null. */
  public static Optional<String> optionalText(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw TallyException.invalid(Problem.of(field, "must be a string", v.toString()));
    }
    return Optional.of(v.textValue());
  }

  /** An array of strings, or an empty list when it is absent or null; a bad item is named {@code field[i]}. */
  public static List<String> strings(JsonNode body, String field) {
    JsonNode v = body.get(field);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      throw TallyException.invalid(Problem.of(field, "must be an array of strings", v.toString()));
    }
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isTextual()) {
        throw TallyException.invalid(Problem.of(field + "[" + i + "]", "must be a string", v.get(i).toString()));
      }
      out.add(v.get(i).textValue());
    }
    return out;
  }
}
