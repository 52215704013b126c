package dev.tally.cli.metering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.cli.TallyCli;
import dev.tally.core.json.Json;
import dev.tally.store.TallyStore;
import dev.tally.store.subjects.Subject;
import dev.tally.store.subjects.SubjectStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tally subjects list|show} read back what the subjects routes store, per tenant. */
class SubjectsCommandTest {
  @TempDir Path dir;

  private String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = TallyCli.run(args, new PrintWriter(out), new PrintWriter(err));
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void listsAndShowsSubjectsOfOneTenant() throws Exception {
    Path data = dir.resolve("data");
    try (TallyStore store = TallyStore.open(data, Clock.systemUTC())) {
      SubjectStore.on(store).putAll("acme", List.of(
          new Subject("", "customer-07", Optional.of("Globex Corp"), Optional.of(Map.of("hubspotId", "123456")),
              Optional.of(Instant.parse("2024-01-01T00:00:00Z")), Optional.of(Instant.parse("2024-02-01T00:00:00Z")),
              Optional.empty()),
          new Subject("", "customer-01", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
              Optional.of("cus_1"))));
    }
    String[] table = run("subjects", "list", "--data", data.toString(), "--tenant", "acme");
    assertThat(table[0]).isEqualTo("0");
    List<String> lines = table[1].lines().toList();
    assertThat(lines.get(0)).startsWith("key").contains("displayName", "id", "currentPeriod");
    assertThat(lines.get(2)).startsWith("customer-01").contains("cus_1");
    assertThat(lines.get(3)).startsWith("customer-07").contains("Globex Corp",
        "2024-01-01T00:00:00Z..2024-02-01T00:00:00Z", "{\"hubspotId\":\"123456\"}");
    assertThat(lines.get(4)).isEqualTo("(2 subjects)");

    String[] json = run("subjects", "show", "customer-07", "--format", "json", "--data", data.toString(),
        "--tenant", "acme");
    JsonNode s = Json.json().readTree(json[1]);
    assertThat(s.get("displayName").asText()).isEqualTo("Globex Corp");
    assertThat(s.get("metadata").get("hubspotId").asText()).isEqualTo("123456");
    assertThat(run("subjects", "show", s.get("id").asText(), "--format", "json", "--data", data.toString(),
        "--tenant", "acme")[1]).isEqualTo(json[1]);

    String[] other = run("subjects", "show", "customer-07", "--data", data.toString(), "--tenant", "globex");
    assertThat(other[0]).isEqualTo("1");
    assertThat(other[2]).isEqualTo("error: no subject 'customer-07'\n");
    assertThat(run("subjects", "list", "--format", "xml", "--data", data.toString())[0]).isEqualTo("1");
  }
}
