package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.json.Json;
import dev.tally.server.auth.KeyKind;
import dev.tally.server.spi.ServerLimits;
import dev.tally.store.TallyStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real server on port 0 over a real store in a temporary directory, with two tenants ({@code acme}, {@code globex})
 * and keys for each, and a real HTTP client.
 */
public final class TestingServer implements AutoCloseable {
  public final TallyStore store;
  public final TallyServer server;
  public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  public final String acmeKey;
  public final String acmeReadKey;
  public final String globexKey;

  TestingServer(Path dir) {
    this(dir, ServerLimits.DEFAULT);
  }

  TestingServer(Path dir, ServerLimits limits) {
    this(dir, limits, true);
  }

  /** With {@code logFirst}, over the log-first write path (the default); without, the store path ({@code tally serve
   * --no-ack-from-log}). */
  TestingServer(Path dir, ServerLimits limits, boolean logFirst) {
    store = TallyStore.open(dir, Clock.systemUTC());
    store.ensureTenant("acme");
    store.ensureTenant("globex");
    // The same route groups as tally serve, so that contract and isolation tests cover every served route.
    server = TallyServer.start(store, ServerOptions.defaults().withPort(0).withLimits(limits)
        .withExtraRoutes(ProductRoutes.all(store)).withLogFirst(logFirst));
    acmeKey = server.keys().create("acme", KeyKind.FULL).secret();
    acmeReadKey = server.keys().create("acme", KeyKind.READ_ONLY).secret();
    globexKey = server.keys().create("globex", KeyKind.FULL).secret();
  }

  URI uri(String path) {
    return URI.create(server.uri() + path);
  }

  public HttpRequest.Builder request(String path, String key) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return b;
  }

  public HttpResponse<String> send(HttpRequest r) {
    try {
      return http.send(r, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpResponse<String> get(String path, String key) {
    return send(request(path, key).GET().build());
  }

  public HttpResponse<String> post(String path, String key, String contentType, String body) {
    return send(request(path, key).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  public HttpResponse<String> put(String path, String key, String body) {
    return send(request(path, key).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  public HttpResponse<String> delete(String path, String key) {
    return send(request(path, key).DELETE().build());
  }

  public HttpResponse<String> ingest(String key, String contentType, String body) {
    return post("/api/v1/events", key, contentType, body);
  }

  /** A CloudEvent as JSON text. */
  public static String event(String id, String subject, String time, String data) {
    return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"test\",\"type\":\"api-calls\",\"subject\":\""
        + subject + "\",\"time\":\"" + time + "\",\"data\":" + data + "}";
  }

  /** A response's body as JSON; a body that is not JSON fails the test. */
  public static JsonNode json(HttpResponse<String> r) {
    try {
      return Json.json().readTree(r.body());
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + r.body(), e);
    }
  }

  /**
   * Holds the store's write lock on a thread of {@code pool} until {@code release} is counted down, and returns once
   * it is held: the store path's writer then cannot commit, so the requests sent meanwhile wait in its queue.
   */
  public static Future<?> holdWriteLock(TallyStore store, ExecutorService pool, CountDownLatch release)
      throws InterruptedException {
    CountDownLatch held = new CountDownLatch(1);
    Future<?> holder = pool.submit(() -> store.write(c -> {
      held.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    }));
    held.await();
    return holder;
  }

  /**
   * Sends requests until the server's ingest queue holds {@code depth} of them, at most 20, and returns them. The
   * writer takes the first request and then waits for the lock the test holds; the next ones fill the queue. After
   * each one it waits a little for it to reach the queue: if it has not, the next one is sent.
   */
  public static List<CompletableFuture<HttpResponse<String>>> sendUntilQueued(TallyServer server, int depth,
      IntFunction<CompletableFuture<HttpResponse<String>>> send) {
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    while (server.queueDepth() < depth) {
      assertThat(sent.size()).as("requests sent before the queue filled").isLessThan(20);
      sent.add(send.apply(sent.size()));
      try {
        Awaitility.await().atMost(Duration.ofMillis(300)).pollInterval(Duration.ofMillis(5))
            .until(() -> server.queueDepth() >= depth);
      } catch (ConditionTimeoutException notYet) {
        // not queued yet: send another
      }
    }
    return sent;
  }

  /**
   * How many of these requests were acknowledged (204), waiting up to 30 s for each; every other answer must be a
   * refusal to retry (503).
   */
  public static long acknowledged(List<CompletableFuture<HttpResponse<String>>> sent) throws Exception {
    long acknowledged = 0;
    for (CompletableFuture<HttpResponse<String>> f : sent) {
      int status = f.get(30, TimeUnit.SECONDS).statusCode();
      assertThat(status).isIn(204, 503);
      acknowledged += status == 204 ? 1 : 0;
    }
    return acknowledged;
  }

  /**
   * How many events a tenant has stored, read from the store itself once every acknowledged event is loaded (as a
   * query waits for them).
   */
  public long storedEvents(String tenant) {
    store.awaitAcknowledgedWrites();
    return store.read(c -> {
      try (var ps = c.prepareStatement("SELECT count(*) FROM events WHERE tenant = ?")) {
        ps.setString(1, tenant);
        try (var rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  @Override
  public void close() {
    server.close();
    store.close();
  }
}
