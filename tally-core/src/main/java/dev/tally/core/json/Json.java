package dev.tally.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The JSON and YAML mappers Tally uses everywhere, configured once.
 *
 * <p>Numbers are read as exact decimals ({@code BigDecimal}, {@code BigInteger}) so that a value written by a producer
 * reaches the store digit for digit; a {@code double} would silently turn {@code 0.1} into {@code 0.1000000000000000055}.
 */
public final class Json {
  private static final JsonMapper JSON = JsonMapper.builder()
      .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
      .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .addModule(new JavaTimeModule())
      .build();

  private static final YAMLMapper YAML = YAMLMapper.builder()
      .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .addModule(new JavaTimeModule())
      .build();

  static {
    // Events are limited to a documented size well before this; the constraint guards the parser itself.
    JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxStringLength(10_000_000).build());
  }

  private Json() {}

  /** The shared JSON mapper (thread-safe). */
  public static ObjectMapper json() {
    return JSON;
  }

  /** The shared YAML mapper (thread-safe). */
  public static ObjectMapper yaml() {
    return YAML;
  }
}
