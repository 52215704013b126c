package dev.tally.store;

import static dev.tally.store.Fixtures.meter;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.api.Aggregation;
import dev.tally.api.Meter;
import dev.tally.api.Problem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Files obey the same input rules as HTTP requests (times within years 0001-9999, valid Unicode and UTF-8, data at
 * most 32 levels deep, numbers and values kept exactly or refused), each problem named by its line, and a file with a
 * problem is stored not at all.
 */
class HostileFileImportTest extends ImportTestBase {
  @Override
  List<Meter> meters() {
    return List.of(meter("tokens", "ai", Aggregation.SUM, "$.tokens", Map.of()));
  }

  private static String line(String id, String time, String data) {
    return aiLine(id, time, data);
  }

  private EventImporter.Report importLines(String name, String... lines) throws IOException {
    return importFile(write(name, List.of(lines)));
  }

  private BigDecimal tokens() {
    return figure("tokens", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z");
  }

  @Test
  void eachHostileLineIsRefusedByLineAndFieldAndNothingOfTheFileIsStored() throws IOException {
    String good = line("ok", "2024-01-01T00:00:00Z", "{\"tokens\":1}");
    Object[][] cases = {
        {line("a", "+10000-01-01T00:00:00Z", "{\"tokens\":1}"), "time"},
        {line("b", "-0001-01-01T00:00:00Z", "{\"tokens\":1}"), "time"},
        {line("c", "2024-01-01T00:00:00Z", "{\"tokens\":12345678901234567890.123456789}"), "data.tokens"},
        {line("d", "2024-01-01T00:00:00Z", "{\"tokens\":1e-400}"), "data.tokens"},
        {line("e", "2024-01-01T00:00:00Z", "{\"tokens\":\"1e-400\"}"), "data.tokens"},
        {line("f", "2024-01-01T00:00:00Z", "{\"tokens\":\"100000000000000000000000000000\"}"), "data.tokens"},
        {line("g\\ud800", "2024-01-01T00:00:00Z", "{\"tokens\":1}"), "id"},
        {line("h", "2024-01-01T00:00:00Z", "{\"tokens\":1,\"n\":\"\\udbff\"}"), "data.n"},
        {line("i", "2024-01-01T00:00:00Z", "{\"tokens\":1,\"d\":" + "[".repeat(40) + "]".repeat(40) + "}"), "data.d"},
        {line("j\\u0001", "2024-01-01T00:00:00Z", "{\"tokens\":1}"), "id"}};
    int n = 0;
    for (Object[] c : cases) {
      EventImporter.Report r = importLines("f" + n++ + ".ndjson", good, (String) c[0]);
      assertThat(r.committed()).as((String) c[0]).isFalse();
      assertThat(r.problems()).as((String) c[0]).anySatisfy(p -> {
        assertThat(p.line()).hasValue(2);
        assertThat(p.field()).startsWith((String) c[1]);
      });
    }
    assertThat(tokens()).isZero();
    // Exact values in a file are kept to the last digit.
    assertThat(importLines("exact.ndjson", line("x1", "2024-01-01T00:00:00Z",
        "{\"tokens\":\"12345678901234567890.123456789\"}"), line("x2", "2024-01-01T00:00:00Z", "{\"tokens\":0.1}"))
        .committed()).isTrue();
    assertThat(tokens()).isEqualByComparingTo("12345678901234567890.223456789");
  }

  @Test
  void invalidUtf8IsRefusedNotReplaced() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes((line("ok", "2024-01-01T00:00:00Z", "{\"tokens\":1}") + "\n").getBytes(StandardCharsets.UTF_8));
    out.writeBytes("{\"specversion\":\"1.0\",\"id\":\"order-".getBytes(StandardCharsets.UTF_8));
    out.writeBytes(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
    out.writeBytes(("\",\"source\":\"s\",\"type\":\"ai\",\"subject\":\"x\",\"data\":{\"tokens\":1}}\n")
        .getBytes(StandardCharsets.UTF_8));
    Path f = dir.resolve("bad-utf8.ndjson");
    Files.write(f, out.toByteArray());
    for (boolean skip : List.of(false, true)) {
      EventImporter.Report r = store.importer().importFile(f, new EventImporter.Options("default",
          EventImporter.Format.AUTO, Map.of(), skip, Optional.empty(), Optional.empty()));
      assertThat(r.committed()).as("skip invalid: %s", skip).isFalse();
      assertThat(r.problems()).extracting(Problem::message).anySatisfy(m -> assertThat(m).contains("UTF-8"));
    }
    assertThat(tokens()).isZero();
  }
}
