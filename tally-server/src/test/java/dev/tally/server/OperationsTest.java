package dev.tally.server;

import static dev.tally.server.TestingServer.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.auth.KeyKind;
import dev.tally.store.TallyStore;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperationsTest {
  @TempDir Path dir;

  @Test
  void healthReadinessAndMetrics() {
    try (TestingServer t = new TestingServer(dir)) {
      assertThat(t.get("/healthz", null).statusCode()).isEqualTo(200);
      assertThat(t.get("/readyz", null).statusCode()).isEqualTo(200);
      t.ingest(t.acmeKey, "application/json", "[" + event("a", "s", "2024-01-01T00:00:00Z", "{}") + ","
          + event("a", "s", "2024-01-01T00:00:00Z", "{}") + "]");
      t.ingest(t.acmeKey, "application/json", "[{\"id\":\"bad\"}]");
      HttpResponse<String> m = t.get("/metrics", null);
      assertThat(m.statusCode()).isEqualTo(200);
      assertThat(m.body())
          .contains("tally_events_ingested_total 1.0")
          .contains("tally_events_duplicates_total 1.0")
          .contains("tally_ingest_queue_depth 0.0")
          .contains("tally_ingest_commit_seconds_bucket")
          .contains("tally_http_requests_seconds_bucket{method=\"POST\",route=\"/api/v1/events\",status=\"204\"")
          .contains("route=\"/api/v1/events\",status=\"400\"")
          .doesNotContain("acme");
    }
  }

  @Test
  void adminFileIsOwnerOnlyAndRemovedOnShutdown() throws Exception {
    Path file;
    try (TestingServer t = new TestingServer(dir)) {
      file = dir.resolve(AdminFile.NAME);
      assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
      assertThat(AdminFile.read(dir)).isEqualTo(t.server.adminFile());
    }
    assertThat(file).doesNotExist();
  }

  private static CompletableFuture<HttpResponse<String>> ingest(java.net.http.HttpClient http, TallyServer server,
      String key, String id) {
    return http.sendAsync(HttpRequest.newBuilder(java.net.URI.create(server.uri() + "/api/v1/events"))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(event(id, "s", "2024-01-01T00:00:00Z", "{}"))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) {
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .pollInterval(java.time.Duration.ofMillis(10)).until(condition::getAsBoolean);
  }

  @Test
  void shutdownStopsAcceptingFinishesInFlightAndCommits() throws Exception {
    TallyStore store = TallyStore.open(dir, Clock.systemUTC());
    store.ensureTenant("acme");
    // The store path, whose writer the store's write lock below holds; the log-first path's graceful stop is in
    // LogFirstServerTest.
    TallyServer server = TallyServer.start(store, ServerOptions.defaults().withPort(0).withLogFirst(false));
    String key = server.keys().create("acme", KeyKind.FULL).secret();
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch release = new CountDownLatch(1);
    try {
      // Hold the write lock so that the in-flight ingest is still waiting for its commit when shutdown begins.
      TestingServer.holdWriteLock(store, pool, release);
      // Once one is queued, requests are surely in flight when shutdown begins.
      List<CompletableFuture<HttpResponse<String>>> inFlight = TestingServer.sendUntilQueued(server, 1,
          i -> ingest(http, server, key, "late-" + i));
      java.util.concurrent.Future<?> closing = pool.submit(server::close);
      HttpRequest ready = HttpRequest.newBuilder(java.net.URI.create(server.uri() + "/readyz")).build();
      waitUntil(() -> {
        try {
          return http.send(ready, HttpResponse.BodyHandlers.ofString()).statusCode() == 503;
        } catch (java.io.IOException | InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      HttpResponse<String> refused = http.send(HttpRequest.newBuilder(
          java.net.URI.create(server.uri() + "/api/v1/meters")).header("Authorization", "Bearer " + key).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
      release.countDown();
      // Every request the server had taken in is finished and committed; one still on its way when shutdown began
      // may have been refused (503), and then nothing of it is stored.
      long acknowledged = TestingServer.acknowledged(inFlight);
      assertThat(acknowledged).isGreaterThanOrEqualTo(2);
      closing.get(30, TimeUnit.SECONDS);
      long stored = store.read(c -> {
        try (var st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM events")) {
          rs.next();
          return rs.getLong(1);
        }
      });
      assertThat(stored).isEqualTo(acknowledged);
    } finally {
      release.countDown();
      pool.shutdownNow();
      server.close();
      store.close();
    }
  }
}
