package dev.tally.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tally.cli.CliRun;
import dev.tally.cli.CliRun.Run;
import dev.tally.server.AdminFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tally export parquet} on the store, and through {@code tally serve} while it holds the store. */
class ExportCommandTest {
  @TempDir Path dir;
  @TempDir Path lake;

  private static Run tally(String... args) {
    return CliRun.run(args);
  }

  private void setUp(String data) throws Exception {
    Path meters = dir.resolve("meters.yaml");
    Files.writeString(meters, "meters:\n  - slug: tokens\n    eventType: ai\n    aggregation: SUM\n"
        + "    valueProperty: $.tokens\n");
    Path events = dir.resolve("events.ndjson");
    Files.writeString(events, "{\"specversion\":\"1.0\",\"id\":\"e1\",\"source\":\"app\",\"type\":\"ai\","
        + "\"subject\":\"c1\",\"time\":\"2024-04-01T10:00:00Z\",\"data\":{\"tokens\":12}}\n");
    assertThat(tally("meters", "apply", meters.toString(), "--tenant", "acme", "--data", data).code()).isZero();
    assertThat(tally("import", events.toString(), "--tenant", "acme", "--data", data).code()).isZero();
  }

  @Test
  void exportsOnTheStoreThenOnlyWhatIsNew() throws Exception {
    String data = dir.resolve("store").toString();
    setUp(data);
    Run first = tally("export", "parquet", "--out", lake.toString(), "--data", data);
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).contains("tenant acme: events 1 new row").contains("meter_values/tokens 1 new row")
        .contains("wrote definitions/tenant=acme/meters.json");
    assertThat(first.err()).contains("export done in " + data);
    Run again = tally("export", "parquet", "--out", lake.toString(), "--data", data, "--format", "json");
    assertThat(again.out()).contains("\"rows\" : 0").contains("\"files\" : 0");
    Run bad = tally("export", "parquet", "--out", lake.toString(), "--data", data, "--from", "April");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("--from").contains("April");
    Run otherRange = tally("export", "parquet", "--out", lake.toString(), "--data", data, "--from", "2024-01-01");
    assertThat(otherRange.code()).isEqualTo(1);
    assertThat(otherRange.err()).contains("range differs").contains("new directory");
  }

  @Test
  void whileServingTheExportRunsThroughTheServer() throws Exception {
    String data = dir.resolve("store").toString();
    setUp(data);
    Thread serve = new Thread(() -> tally("serve", "--port", "0", "--data", data));
    serve.start();
    try {
      Path adminFile = Path.of(data).resolve(AdminFile.NAME);
      await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(adminFile) || !serve.isAlive());
      URI url = AdminFile.read(Path.of(data)).orElseThrow().url();
      Run first = tally("export", "parquet", "--out", lake.toString(), "--tenant", "acme", "--data", data);
      assertThat(first.code()).as(first.err()).isZero();
      assertThat(first.err()).contains("through the running server");
      assertThat(first.out()).contains("events 1 new row");
      // New usage through the API, then a second export through the server: only that event.
      String key = tally("key", "create", "--tenant", "acme", "--data", data).out().trim();
      HttpRequest post = HttpRequest.newBuilder(url.resolve("/api/v1/events"))
          .header("Authorization", "Bearer " + key).header("Content-Type", "application/cloudevents+json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"specversion\":\"1.0\",\"id\":\"e2\",\"source\":\"app\","
              + "\"type\":\"ai\",\"subject\":\"c1\",\"time\":\"2024-04-02T10:00:00Z\",\"data\":{\"tokens\":30}}"))
          .build();
      assertThat(HttpClient.newHttpClient().send(post, HttpResponse.BodyHandlers.ofString()).statusCode())
          .isBetween(200, 299);
      Run second = tally("export", "parquet", "--out", lake.toString(), "--tenant", "acme", "--data", data);
      assertThat(second.out()).contains("events 1 new row").contains("meter_values/tokens 1 new row");
      Run ghost = tally("export", "parquet", "--out", lake.toString(), "--tenant", "ghost", "--data", data);
      assertThat(ghost.code()).isEqualTo(1);
      assertThat(ghost.err()).contains("no tenant 'ghost'");
    } finally {
      serve.interrupt();
      serve.join(TimeUnit.SECONDS.toMillis(60));
    }
    assertThat(serve.isAlive()).isFalse();
  }
}
