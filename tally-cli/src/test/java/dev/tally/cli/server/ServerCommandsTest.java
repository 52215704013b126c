package dev.tally.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tally.cli.CliRun;
import dev.tally.cli.CliRun.Run;
import dev.tally.cli.TallyCli;
import dev.tally.console.ConsoleRoutes;
import dev.tally.server.AdminFile;
import java.io.PrintWriter;
import java.io.StringWriter;
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

class ServerCommandsTest {
  @TempDir Path dir;

  private static Run tally(String... args) {
    return CliRun.run(args);
  }

  @Test
  void tenantsAndKeysOnTheStore() {
    String data = dir.toString();
    assertThat(tally("tenant", "create", "acme", "--data", data).out()).contains("created tenant 'acme'");
    assertThat(tally("tenant", "create", "acme", "--data", data).out()).contains("already exists");
    assertThat(tally("tenant", "list", "--data", data).out()).isEqualTo("acme\n");
    Run created = tally("key", "create", "--tenant", "acme", "--read-only", "--data", data);
    assertThat(created.code()).isZero();
    // The key alone on stdout, so that scripts can capture it.
    assertThat(created.out()).matches("tly_[a-z0-9]{12}_[A-Za-z0-9_-]{43}\n");
    assertThat(created.err()).contains("READ_ONLY");
    String key = created.out().trim();
    Run list = tally("key", "list", "--data", data);
    assertThat(list.out()).contains(key.substring(0, 16)).doesNotContain(key).contains("READ_ONLY");
    assertThat(tally("key", "list", "--tenant", "other", "--data", data).out().lines().count()).isEqualTo(1);
    Run revoked = tally("key", "revoke", key.substring(0, 16), "--data", data);
    assertThat(revoked.out()).contains("revoked " + key.substring(0, 16));
    assertThat(tally("key", "list", "--data", data).out()).doesNotContain(" - \n");
  }

  @Test
  void badInputHasExitCode1AndSaysWhy() {
    String data = dir.toString();
    Run noTenant = tally("key", "create", "--tenant", "ghost", "--data", data);
    assertThat(noTenant.code()).isEqualTo(1);
    assertThat(noTenant.err()).contains("no tenant 'ghost'").contains("tally tenant create ghost");
    assertThat(noTenant.out()).isEmpty();
    assertThat(tally("tenant", "create", "Not Valid", "--data", data).code()).isEqualTo(1);
    assertThat(tally("key", "revoke", "tly_nope", "--data", data).code()).isEqualTo(1);
    // A bad schedule is refused before anything starts: the command returns instead of serving.
    Run badSchedule = tally("serve", "--port", "0", "--invoice-every", "-PT1H", "--data", data);
    assertThat(badSchedule.code()).isEqualTo(1);
    assertThat(badSchedule.err()).contains("--invoice-every").contains("positive");
    assertThat(tally("serve", "--invoice-every", "hourly", "--data", data).code()).isEqualTo(2);
    Run badAlerts = tally("serve", "--port", "0", "--alerts-every", "-PT5M", "--data", data);
    assertThat(badAlerts.code()).isEqualTo(1);
    assertThat(badAlerts.err()).contains("--alerts-every").contains("positive");
    Run badZone = tally("serve", "--port", "0", "--alerts-zone", "Mars/Olympus", "--data", data);
    assertThat(badZone.code()).isEqualTo(1);
    assertThat(badZone.err()).contains("--alerts-zone").contains("Mars/Olympus");
    Run badPercent = tally("serve", "--port", "0", "--alerts-min-percent", "-1", "--data", data);
    assertThat(badPercent.code()).isEqualTo(1);
    assertThat(badPercent.err()).contains("--alerts-min");
  }

  @Test
  void whileServingKeysAreManagedThroughTheServer() throws Exception {
    String data = dir.toString();
    tally("tenant", "create", "acme", "--data", data);
    StringWriter served = new StringWriter();
    Thread serve = new Thread(() -> TallyCli.run(new String[] {"serve", "--port", "0", "--data", data},
        new PrintWriter(served, true), new PrintWriter(new StringWriter())));
    serve.start();
    try {
      Path adminFile = dir.resolve(AdminFile.NAME);
      await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(adminFile) || !serve.isAlive());
      URI url = AdminFile.read(dir).orElseThrow().url();
      Run tenant = tally("tenant", "create", "globex", "--data", data);
      assertThat(tenant.out()).contains("through the running server");
      Run created = tally("key", "create", "--tenant", "globex", "--data", data);
      assertThat(created.code()).isZero();
      assertThat(created.err()).contains("through the running server");
      String key = created.out().trim();
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest meters = HttpRequest.newBuilder(url.resolve("/api/v1/meters"))
          .header("Authorization", "Bearer " + key).build();
      assertThat(http.send(meters, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      assertThat(tally("key", "list", "--data", data).out()).contains(key.substring(0, 16));
      assertThat(tally("key", "revoke", key.substring(0, 16), "--data", data).code()).isZero();
      assertThat(http.send(meters, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
      // The console is served at / beside the API, and its address is the first thing said.
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(url.resolve("/")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Security-Policy")).contains(ConsoleRoutes.CONTENT_SECURITY_POLICY);
      assertThat(page.body()).contains("/console/app.js");
      assertThat(served.toString().lines().findFirst().orElse("")).isEqualTo("Tally console: " + url + "/");
    } finally {
      serve.interrupt();
      serve.join(TimeUnit.SECONDS.toMillis(60));
    }
    assertThat(serve.isAlive()).isFalse();
    assertThat(dir.resolve(AdminFile.NAME)).doesNotExist();
    // The store was closed: it opens again, with the key revoked through the server.
    assertThat(tally("key", "list", "--tenant", "globex", "--data", data).out()).contains("FULL").doesNotContain(" - ");
  }
}
