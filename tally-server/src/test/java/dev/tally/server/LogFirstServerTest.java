package dev.tally.server;

import static dev.tally.server.TestingServer.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.api.Event;
import dev.tally.core.json.Json;
import dev.tally.server.spi.ServerLimits;
import dev.tally.store.EventIngestor;
import dev.tally.store.wal.DurableIngestor;
import dev.tally.store.wal.EventLog;
import dev.tally.store.wal.LogRecords;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tally serve}'s log-first default over a real server, store, log and index: counts in the answer are true, a query
 * right after an acknowledgement sees it, misfits are refused before the acknowledgement, and identities outlive a
 * restart.
 */
class LogFirstServerTest {
  @TempDir Path dir;

  private static String batch(String prefix, int n, String data) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ",").append(event(prefix + i, "s" + (i % 4), "2024-01-01T00:00:00Z", data));
    }
    return sb.append(']').toString();
  }

  private static long total(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    long sum = 0;
    for (JsonNode row : Json.json().readTree(r.body()).get("data")) {
      sum += row.get("value").asLong();
    }
    return sum;
  }

  /** A log-first server killed before loading, then started on the store path: what it acknowledged is not lost. */
  @Test
  void theStorePathLoadsFirstWhatALogFirstServerLeftUnloaded() {
    try (EventLog log = EventLog.open(dir.resolve("wal"), DurableIngestor.SEGMENT_BYTES)) {
      List<Event> events = List.of(
          Event.of("left-1", "test", "api-calls", "c1", java.time.Instant.parse("2024-01-01T00:00:00Z"), "{}"),
          Event.of("left-2", "test", "api-calls", "c2", java.time.Instant.parse("2024-01-01T00:00:01Z"), "{}"));
      log.append(LogRecords.encode(new EventIngestor.Batch("acme", events, java.time.Instant.now()))).join();
    }
    try (TestingServer t = new TestingServer(dir, ServerLimits.DEFAULT, false)) {
      assertThat(t.storedEvents("acme")).isEqualTo(2);
    }
  }

  /**
   * The events table has no key of its own; the log's dedupe index refuses stored identities. Events stored directly
   * while the server runs (the demo of {@code tally serve --demo}) become known to it by their commit, and a client
   * sending one of them again is told it is a duplicate and nothing is stored twice.
   */
  @Test
  void eventsStoredBesideTheLogAreDuplicatesOnceIndexed() throws Exception {
    try (TestingServer t = new TestingServer(dir, ServerLimits.DEFAULT, true)) {
      t.store.ingestor().ingest("acme", List.of(
          Event.of("beside-1", "test", "api-calls", "c1", java.time.Instant.parse("2024-01-01T00:00:00Z"), "{}")),
          java.time.Instant.now());
      HttpResponse<String> r = t.ingest(t.acmeKey, "application/cloudevents+json",
          event("beside-1", "c1", "2024-01-01T00:00:00Z", "{}"));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
      assertThat(r.headers().firstValue("Tally-Events-Duplicates")).hasValue("1");
      assertThat(t.storedEvents("acme")).isEqualTo(1);
    }
  }

  @Test
  void acknowledgedFromTheLogAndReadBackAtOnce() throws Exception {
    try (TestingServer t = new TestingServer(dir, ServerLimits.DEFAULT, true)) {
      assertThat(t.post("/api/v1/meters", t.acmeKey, "application/json",
          "{\"slug\":\"calls\",\"eventType\":\"api-calls\",\"aggregation\":\"SUM\",\"valueProperty\":\"$.n\"}")
          .statusCode()).isBetween(200, 201);
      String query = "/api/v1/meters/calls/query?from=2024-01-01T00:00:00Z&to=2024-01-02T00:00:00Z";
      for (int round = 0; round < 5; round++) {
        HttpResponse<String> r = t.ingest(t.acmeKey, "application/cloudevents-batch+json",
            batch("r" + round + "-", 200, "{\"n\":2}"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        assertThat(r.headers().firstValue("Tally-Events-Stored")).hasValue("200");
        // Read-your-writes: the listing of events, and then a query, wait for the loader to pass what was durable
        // when they started, so the batch's last event is listed and counted at once.
        HttpResponse<String> listed = t.get("/api/v1/events?id=r" + round + "-199", t.acmeKey);
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        assertThat(Json.json().readTree(listed.body())).hasSize(1);
        assertThat(total(t.get(query, t.acmeKey))).isEqualTo(400L * (round + 1));
      }
      HttpResponse<String> again = t.ingest(t.acmeKey, "application/cloudevents-batch+json",
          batch("r0-", 200, "{\"n\":2}"));
      assertThat(again.headers().firstValue("Tally-Events-Stored")).hasValue("0");
      HttpResponse<String> misfit = t.ingest(t.acmeKey, "application/cloudevents-batch+json", "["
          + event("m1", "s", "2024-01-01T00:00:00Z", "{\"n\":1}") + ","
          + event("m2", "s", "2024-01-01T00:00:00Z", "{\"n\":\"many\"}") + "]");
      assertThat(misfit.statusCode()).isEqualTo(400);
      JsonNode problem = Json.json().readTree(misfit.body()).get("problems").get(0);
      assertThat(problem.get("index").asInt()).isEqualTo(1);
      assertThat(problem.get("field").asText()).isEqualTo("data.n");
      assertThat(Files.isDirectory(dir.resolve("wal"))).isTrue();
    }
    // After a graceful stop everything acknowledged is in the store itself, for commands that open it directly.
    try (TestingServer t = new TestingServer(dir, ServerLimits.DEFAULT, true)) {
      assertThat(t.storedEvents("acme")).isEqualTo(1000);
      HttpResponse<String> r = t.ingest(t.acmeKey, "application/cloudevents-batch+json",
          batch("r4-", 200, "{\"n\":2}"));
      assertThat(r.headers().firstValue("Tally-Events-Stored")).hasValue("0");
    }
  }
}
