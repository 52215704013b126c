package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built product, run as a user runs it: {@code java -jar tally.jar ...} in its own process. */
class TallyJarIT {
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  private Run tally(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", System.getProperty("tally.jar")));
    cmd.addAll(List.of(args));
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
        .redirectError(err.toFile()).start();
    int code = p.waitFor();
    return new Run(code, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void demoThenQueryFromTheJar() throws Exception {
    Run demo = tally("demo", "--customers", "3");
    assertThat(demo.code()).as(demo.err()).isZero();
    assertThat(dir.resolve("tally-data").resolve("tally.duckdb")).exists();
    Run q = tally("query", "storage_gb", "--tenant", "demo", "--from", "2024-06-01", "--to", "2024-07-01",
        "--window-size", "DAY", "--window-time-zone", "Europe/Paris", "--subject", "customer-01");
    assertThat(q.code()).as(q.err()).isZero();
    JsonNode root = Json.json().readTree(q.out());
    JsonNode data = root.get("data");
    assertThat(data).hasSize(30);
    // The migration week (June 10-16) doubles storage: its days hold about twice the GB-hours of the day before.
    double before = data.get(8).get("value").asDouble();
    double during = data.get(10).get("value").asDouble();
    assertThat(during / before).isBetween(1.8, 2.2);
    Run bad = tally("query", "nope", "--tenant", "demo", "--from", "2024-06-01");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("no meter 'nope'");
    Run usage = tally("query");
    assertThat(usage.code()).isEqualTo(2);
  }

  /** The product's main job as the README gives it: the console's address is the first line a person sees. */
  @Test
  void serveDemoSaysTheConsolesAddressFirstThenLoadsAndPrintsAWorkingKey() throws Exception {
    Path log = dir.resolve("serve.txt");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        System.getProperty("tally.jar"), "serve", "--demo", "--port", "0", "--invoice-every", "PT0S")
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      java.util.regex.Pattern keyLine = java.util.regex.Pattern.compile("export TALLY_KEY=(\\S+)");
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(3))
          .pollInterval(java.time.Duration.ofMillis(200))
          .until(() -> !p.isAlive() || keyLine.matcher(Files.readString(log, StandardCharsets.UTF_8)).find());
      String said = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(p.isAlive()).as(said).isTrue();
      List<String> lines = said.lines().toList();
      assertThat(lines.get(0)).matches("Tally console: http://127\\.0\\.0\\.1:\\d+/  \\(sign in with the API key "
          + "below\\)");
      assertThat(lines.get(1)).startsWith("Loading the demo tenant 'demo'");
      String url = lines.get(0).split(" ")[2];
      java.util.regex.Matcher key = keyLine.matcher(said);
      assertThat(key.find()).isTrue();
      java.net.http.HttpResponse<String> meters = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "api/v1/meters"))
              .header("Authorization", "Bearer " + key.group(1)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(meters.statusCode()).isEqualTo(200);
      assertThat(meters.body()).contains("ai_tokens");
    } finally {
      p.destroy();
      p.waitFor();
    }
  }
}
