package dev.tally.core.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.api.Problem;
import dev.tally.core.time.Timestamps;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ingest-hardening rules for times, text and data, each at its edge. */
class InputRulesTest {
  private static List<Problem> problems(String data) {
    return EventDecoder.decode("{\"specversion\":\"1.0\",\"id\":\"e\",\"source\":\"s\",\"type\":\"t\",\"subject\":\"u\","
        + "\"data\":" + data + "}").problems();
  }

  @Test
  void timesOutsideYears0001To9999AreRefused() {
    assertThat(Timestamps.parse("0001-01-01T00:00:00Z")).isEqualTo(Timestamps.MIN);
    assertThat(Timestamps.parse("9999-12-31T23:59:59.999999999Z")).isEqualTo(Timestamps.MAX);
    for (String bad : List.of("+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "0000-06-01T00:00:00Z",
        "+999999999-12-31T23:59:59Z", "0001-01-01T00:00:00+01:00", "2024-01-01T00:00:00Z\u0000",
        " 2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z ")) {
      assertThatThrownBy(() -> Timestamps.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(Timestamps.parseBound(" 2024-01-01 ", ZoneId.of("UTC"))).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
    assertThatThrownBy(() -> Timestamps.parseBound("0000-01-01", ZoneId.of("UTC")))
        .hasMessageContaining("years 0001 to 9999");
  }

  @Test
  void textMustBeValidUnicodeWithoutControls() {
    assertThat(Text.problem("order-\uD83D\uDE00", true)).isNull();
    assertThat(Text.problem("order-\uD800", true)).contains("unpaired surrogate U+D800 at character 7");
    assertThat(Text.problem("\uDC00x", false)).contains("U+DC00");
    assertThat(Text.problem("a\u0000", true)).contains("U+0000");
    assertThat(Text.problem("a\u0000", false)).isNull();
    assertThat(Text.printable("a\uD800\u0001\uD83D\uDE00")).isEqualTo("a\\ud800\\u0001\uD83D\uDE00");
  }

  @Test
  void dataProblemsAreNamedByTheirPlace() {
    assertThat(problems("{\"a\":{\"b\":[1,{\"c\":\"\\ud800\"}]}}")).extracting(Problem::field)
        .containsExactly("data.a.b[1].c");
    assertThat(problems("{\"n\":12345678901234567890.123456789}")).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("send it as a string"));
    assertThat(problems("{\"n\":1e-400}")).singleElement().satisfies(p -> assertThat(p.message()).contains("as 0"));
    assertThat(problems("{\"n\":1e400}")).singleElement().satisfies(p -> assertThat(p.message()).contains("too large"));
    assertThat(problems("{\"\\udbff\":1}")).singleElement().satisfies(p -> assertThat(p.message()).contains("member"));
    String deep31 = "{\"a\":".repeat(31) + "1" + "}".repeat(31);
    assertThat(problems("{\"x\":" + deep31 + "}")).isEmpty();
    String deep32 = "{\"a\":".repeat(32) + "1" + "}".repeat(32);
    assertThat(problems("{\"x\":" + deep32 + "}")).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("nested more than 32"));
    assertThat(problems("{\"list\":[" + "\"\\ud800\",".repeat(20) + "1]}")).hasSize(DataRules.MAX_PROBLEMS + 1);
    assertThat(problems("{\"ok\":[0.1, 1e20, 18446744073709551615, -9223372036854775808, 48.85661400000001]}"))
        .isEmpty();
  }

  @Test
  void numbersAreKeptWhenTheStoreReadsThemBackExactly() {
    assertThat(DataRules.numberProblem("18446744073709551615", true)).isNull(); // 2^64 - 1: an unsigned 64-bit integer
    assertThat(DataRules.numberProblem("-9223372036854775808", true)).isNull();
    // 2^64 is a double exactly, but the store prints a double by its shortest digits: 18446744073709552000.
    assertThat(DataRules.numberProblem("18446744073709551616", true)).contains("18446744073709552000");
    assertThat(DataRules.numberProblem("100000000000000000000", true)).isNull();
    assertThat(DataRules.numberProblem("0.30000000000000004", false)).isNull();
    assertThat(DataRules.numberProblem("1234567890.123456789", false)).contains("1234567890.1234567");
  }
}
