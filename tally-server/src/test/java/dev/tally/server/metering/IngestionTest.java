package dev.tally.server.metering;

import static dev.tally.server.TestingServer.event;
import static dev.tally.server.TestingServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.server.ServerTestBase;
import dev.tally.server.TestingServer;
import dev.tally.server.spi.ServerLimits;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IngestionTest extends ServerTestBase {
  @Test
  void singleEventIsAcknowledgedWith204OnceStored() {
    HttpResponse<String> r = t.ingest(t.acmeKey, "application/cloudevents+json",
        event("e1", "customer-1", "2024-01-01T00:00:00Z", "{\"n\":1}"));
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.headers().firstValue("Tally-Events-Stored")).hasValue("1");
    assertThat(t.storedEvents("acme")).isEqualTo(1);
  }

  @Test
  void batchAndPlainJsonArrayAreAccepted() {
    String batch = "[" + event("a", "s", "2024-01-01T00:00:00Z", "{}") + ","
        + event("b", "s", "2024-01-01T00:00:01Z", "{}") + "]";
    assertThat(t.ingest(t.acmeKey, "application/cloudevents-batch+json", batch).statusCode()).isEqualTo(204);
    String more = "[" + event("c", "s", "2024-01-01T00:00:02Z", "{}") + "]";
    assertThat(t.ingest(t.acmeKey, "application/json; charset=utf-8", more).statusCode()).isEqualTo(204);
    String single = event("d", "s", "2024-01-01T00:00:03Z", "{}");
    assertThat(t.ingest(t.acmeKey, "application/json", single).statusCode()).isEqualTo(204);
    assertThat(t.storedEvents("acme")).isEqualTo(4);
  }

  @Test
  void duplicatesAndRetriesCountOnce() {
    String batch = "[" + event("a", "s", "2024-01-01T00:00:00Z", "{}") + ","
        + event("a", "s", "2024-01-01T00:00:00Z", "{}") + ","
        + event("b", "s", "2024-01-01T00:00:00Z", "{}") + "]";
    HttpResponse<String> first = t.ingest(t.acmeKey, "application/cloudevents-batch+json", batch);
    assertThat(first.headers().firstValue("Tally-Events-Stored")).hasValue("2");
    assertThat(first.headers().firstValue("Tally-Events-Duplicates")).hasValue("1");
    // The producer did not see the answer and sends the same batch again.
    HttpResponse<String> retry = t.ingest(t.acmeKey, "application/cloudevents-batch+json", batch);
    assertThat(retry.statusCode()).isEqualTo(204);
    assertThat(retry.headers().firstValue("Tally-Events-Stored")).hasValue("0");
    assertThat(retry.headers().firstValue("Tally-Events-Duplicates")).hasValue("3");
    assertThat(t.storedEvents("acme")).isEqualTo(2);
  }

  @Test
  void sameIdInAnotherTenantIsAnotherEvent() {
    String e = event("same", "s", "2024-01-01T00:00:00Z", "{}");
    assertThat(t.ingest(t.acmeKey, "application/cloudevents+json", e).statusCode()).isEqualTo(204);
    HttpResponse<String> r = t.ingest(t.globexKey, "application/cloudevents+json", e);
    assertThat(r.headers().firstValue("Tally-Events-Stored")).hasValue("1");
    assertThat(t.storedEvents("acme")).isEqualTo(1);
    assertThat(t.storedEvents("globex")).isEqualTo(1);
  }

  @Test
  void invalidBatchIsRejectedWholeWithEveryProblemByIndex() throws Exception {
    String batch = "[" + event("ok", "s", "2024-01-01T00:00:00Z", "{}") + ","
        + "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"t\",\"type\":\"api-calls\",\"time\":\"yesterday\"},"
        + event("ok2", "s", "2024-01-01T00:00:00Z", "[1]") + "]";
    HttpResponse<String> r = t.ingest(t.acmeKey, "application/cloudevents-batch+json", batch);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> v.startsWith("application/problem+json"));
    JsonNode p = json(r);
    assertThat(p.get("status").asInt()).isEqualTo(400);
    assertThat(p.get("detail").asText()).contains("2 of 3").contains("nothing was stored");
    List<String> found = new ArrayList<>();
    p.get("problems").forEach(x -> found.add(x.get("index").asInt() + ":" + x.get("field").asText()));
    assertThat(found).containsExactlyInAnyOrder("1:subject", "1:time", "2:data");
    assertThat(t.storedEvents("acme")).isZero();
  }

  @Test
  void eventThatDoesNotFitAMeterRejectsTheBatch() throws Exception {
    t.post("/api/v1/meters", t.acmeKey, "application/json",
        "{\"slug\":\"calls\",\"eventType\":\"api-calls\",\"aggregation\":\"SUM\",\"valueProperty\":\"$.n\"}");
    String batch = "[" + event("a", "s", "2024-01-01T00:00:00Z", "{\"n\":1}") + ","
        + event("b", "s", "2024-01-01T00:00:00Z", "{\"n\":\"many\"}") + "]";
    HttpResponse<String> r = t.ingest(t.acmeKey, "application/cloudevents-batch+json", batch);
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode problem = json(r).get("problems").get(0);
    assertThat(problem.get("index").asInt()).isEqualTo(1);
    assertThat(problem.get("field").asText()).isEqualTo("data.n");
    assertThat(problem.get("given").asText()).isEqualTo("many");
    assertThat(t.storedEvents("acme")).isZero();
  }

  @Test
  void malformedJsonIs400() throws Exception {
    HttpResponse<String> r = t.ingest(t.acmeKey, "application/json", "[{\"id\": ");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).get("problems").get(0).get("field").asText()).isEqualTo("body");
  }

  @Test
  void arrayAsSingleEventMediaTypeIs400() {
    HttpResponse<String> r = t.ingest(t.acmeKey, "application/cloudevents+json", "[]");
    assertThat(r.statusCode()).isEqualTo(400);
  }

  @Test
  void wrongContentTypeIs415() throws Exception {
    HttpResponse<String> r = t.ingest(t.acmeKey, "text/plain", event("a", "s", "2024-01-01T00:00:00Z", "{}"));
    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(json(r).get("problems").get(0).get("field").asText()).isEqualTo("Content-Type");
    assertThat(t.storedEvents("acme")).isZero();
  }

  @Test
  void oversizedBodyIs413() throws Exception {
    restart(ServerLimits.DEFAULT.withMaxBodyBytes(4096), true);
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < 100; i++) {
      sb.append(i == 0 ? "" : ",").append(event("e" + i, "s", "2024-01-01T00:00:00Z", "{}"));
    }
    HttpResponse<String> r = t.ingest(t.acmeKey, "application/cloudevents-batch+json", sb.append("]").toString());
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(json(r).get("detail").asText()).contains("4096 bytes");
    assertThat(t.storedEvents("acme")).isZero();
  }

  @Test
  void tooManyEventsInOneBatchIs413() {
    restart(ServerLimits.DEFAULT.withMaxBatchEvents(3), true);
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < 4; i++) {
      sb.append(i == 0 ? "" : ",").append(event("e" + i, "s", "2024-01-01T00:00:00Z", "{}"));
    }
    assertThat(t.ingest(t.acmeKey, "application/json", sb.append("]").toString()).statusCode()).isEqualTo(413);
    assertThat(t.storedEvents("acme")).isZero();
  }

  @Test
  void oversizedEventIs400NamingTheLimit() throws Exception {
    String big = "{\"blob\":\"" + "x".repeat(70 * 1024) + "\"}";
    HttpResponse<String> r = t.ingest(t.acmeKey, "application/json", "[" + event("a", "s", "2024-01-01T00:00:00Z", big)
        + "]");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).get("problems").get(0).get("message").asText()).contains("over the limit");
  }

  @Test
  void readOnlyKeyCannotIngest() {
    HttpResponse<String> r = t.ingest(t.acmeReadKey, "application/json", event("a", "s", "2024-01-01T00:00:00Z", "{}"));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(t.storedEvents("acme")).isZero();
  }

  @Test
  void fullQueueAnswers503WithRetryAfterAndLosesNothingAccepted() throws Exception {
    // The store path: holding the store's write lock is what stops its writer (the log-first writer does not take it;
    // its queue is the same GroupCommitter).
    restart(ServerLimits.DEFAULT.withQueueRequests(2), false);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(5);
    try {
      // Hold the store's write lock so that the writer cannot commit while the queue fills.
      Future<?> blocker = TestingServer.holdWriteLock(t.store, pool, release);
      List<CompletableFuture<HttpResponse<String>>> sent = TestingServer.sendUntilQueued(t.server, 2, this::send);
      HttpResponse<String> refused = send(sent.size()).get(10, TimeUnit.SECONDS);
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
      release.countDown();
      blocker.get();
      long acknowledged = TestingServer.acknowledged(sent);
      // Every acknowledged event is stored, and nothing refused is.
      assertThat(acknowledged).isGreaterThanOrEqualTo(3);
      assertThat(t.storedEvents("acme")).isEqualTo(acknowledged);
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  private CompletableFuture<HttpResponse<String>> send(int i) {
    HttpRequest r = t.request("/api/v1/events", t.acmeKey).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(event("q" + i, "s", "2024-01-01T00:00:00Z", "{}"))).build();
    return t.http.sendAsync(r, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void concurrentProducersGetExactCounts() throws Exception {
    int producers = 16;
    int requestsEach = 25;
    int batch = 20;
    ExecutorService pool = Executors.newFixedThreadPool(producers);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int p = 0; p < producers; p++) {
        int producer = p;
        results.add(pool.submit(() -> {
          int ok = 0;
          for (int r = 0; r < requestsEach; r++) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < batch; i++) {
              // Every producer also resends the previous request's last event: duplicates across commits.
              String id = i == 0 && r > 0 ? producer + "-" + (r - 1) + "-" + (batch - 1) : producer + "-" + r + "-" + i;
              sb.append(i == 0 ? "" : ",").append(event(id, "s" + producer, "2024-01-01T00:00:00Z", "{}"));
            }
            if (t.ingest(t.acmeKey, "application/cloudevents-batch+json", sb.append("]").toString())
                .statusCode() == 204) {
              ok++;
            }
          }
          return ok;
        }));
      }
      for (Future<Integer> f : results) {
        assertThat(f.get(2, TimeUnit.MINUTES)).isEqualTo(requestsEach);
      }
    } finally {
      pool.shutdownNow();
    }
    long distinct = (long) producers * (requestsEach * (batch - 1) + 1);
    assertThat(t.storedEvents("acme")).isEqualTo(distinct);
  }
}
