package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledged means durable, tried as a power cut would try it: a real {@code tally serve} process takes concurrent
 * batches and is killed with SIGKILL at a random moment; after a restart every acknowledged batch is counted exactly
 * once, every batch is there whole or not at all, and sending every batch again counts each exactly once.
 *
 * <p>Trials: {@code -Dtally.crash.trials=N} (5 in the suite; {@code tally-bench/crash-bench.sh} runs 20 and reports).
 */
class ServerCrashIT {
  private static final int EVENTS_PER_BATCH = 10;
  private static final Pattern SERVING = Pattern.compile("Tally is serving (http://\\S+) ");

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Extra flags of {@code tally serve} for the write path under test (none: the log-first default). */
  private List<String> writePath = List.of();

  private Process serve(Path data, Path log) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-jar", System.getProperty("tally.jar"), "serve", "--data", data.toString(), "--port", "0",
        "--invoice-every", "PT0S", "--alerts-every", "PT0S"));
    cmd.addAll(writePath);
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static URI awaitUri(Process p, Path log) throws Exception {
    try {
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
          .until(() -> !p.isAlive() || SERVING.matcher(Files.readString(log, StandardCharsets.UTF_8)).find());
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("tally serve did not start: " + Files.readString(log, StandardCharsets.UTF_8), e);
    }
    Matcher m = SERVING.matcher(Files.readString(log, StandardCharsets.UTF_8));
    if (m.find()) {
      return URI.create(m.group(1));
    }
    throw new AssertionError("tally serve exited: " + Files.readString(log, StandardCharsets.UTF_8));
  }

  private String run(Path data, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", System.getProperty("tally.jar")));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--data", data.toString()));
    Path out = dir.resolve("cmd.out");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(dir.resolve("cmd.err").toFile())
        .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(dir.resolve("cmd.err"))).isZero();
    return Files.readString(out, StandardCharsets.UTF_8).trim();
  }

  private static String batch(String subject) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < EVENTS_PER_BATCH; i++) {
      sb.append(i == 0 ? "" : ",").append("{\"specversion\":\"1.0\",\"id\":\"").append(subject).append('-').append(i)
          .append("\",\"source\":\"crash\",\"type\":\"tick\",\"subject\":\"").append(subject)
          .append("\",\"time\":\"2024-06-01T00:00:00Z\",\"data\":{}}");
    }
    return sb.append(']').toString();
  }

  private HttpResponse<String> send(URI base, String key, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json");
    b = body == null ? b.GET() : b.method(method, HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Events counted per subject (= per batch), read back through the API. */
  private Map<String, Long> counts(URI base, String key) throws Exception {
    HttpResponse<String> r = send(base, key, "GET",
        "/api/v1/meters/ticks/query?from=2024-06-01T00:00:00Z&to=2024-06-02T00:00:00Z&groupBy=subject", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Map<String, Long> out = new HashMap<>();
    for (JsonNode row : Json.json().readTree(r.body()).get("data")) {
      out.put(row.get("subject").asText(), row.get("value").asLong());
    }
    return out;
  }

  /** Events counted per subject (= per batch), read by {@code tally query} on the store itself, no server running. */
  private Map<String, Long> countsFromTheCli(Path data) throws Exception {
    String out = run(data, "query", "ticks", "--tenant", "crash", "--from", "2024-06-01T00:00:00Z", "--to",
        "2024-06-02T00:00:00Z", "--group-by", "subject", "--format", "json");
    Map<String, Long> counts = new HashMap<>();
    for (JsonNode row : Json.json().readTree(out).get("data")) {
      counts.put(row.get("subject").asText(), row.get("value").asLong());
    }
    return counts;
  }

  /**
   * The same trials against the earlier write path, a store transaction per group of requests
   * ({@code --no-ack-from-log}).
   */
  @Test
  void everyBatchAcknowledgedFromTheStoreSurvivesSigkillExactlyOnce() throws Exception {
    writePath = List.of("--no-ack-from-log");
    everyAcknowledgedBatchSurvivesSigkillExactlyOnce();
  }

  /**
   * The default, log-first write path: the kill lands while requests are acknowledged from the log and while the
   * background loader is in the middle of a round (it loads continuously under this load). Before the restart,
   * {@code tally query} on the store itself already counts every acknowledged batch (a command that opens the store
   * loads what the killed server had not); then the restarted server's queries wait for the loader as well.
   */
  @Test
  void everyAcknowledgedBatchSurvivesSigkillExactlyOnce() throws Exception {
    int trials = Integer.getInteger("tally.crash.trials", 5);
    Path data = dir.resolve("data");
    run(data, "tenant", "create", "crash");
    String key = run(data, "key", "create", "--tenant", "crash");
    Path meters = dir.resolve("meters.yaml");
    Files.writeString(meters, "meters:\n  - slug: ticks\n    eventType: tick\n    aggregation: COUNT\n");
    run(data, "meters", "apply", meters.toString(), "--tenant", "crash");
    Random random = new Random(Long.getLong("tally.crash.seed", System.nanoTime()));
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    Set<String> sent = ConcurrentHashMap.newKeySet();
    long totalAcked = 0;
    for (int trial = 0; trial < trials; trial++) {
      Path log = dir.resolve("serve-" + trial + ".log");
      Process server = serve(data, log);
      URI base = awaitUri(server, log);
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService producers = Executors.newFixedThreadPool(4);
      int t = trial;
      for (int w = 0; w < 4; w++) {
        int worker = w;
        producers.submit(() -> {
          for (int n = 0; !stop.get(); n++) {
            String subject = "t" + t + "-w" + worker + "-b" + n;
            sent.add(subject);
            try {
              HttpResponse<String> r = send(base, key, "POST", "/api/v1/events", batch(subject));
              if (r.statusCode() == 204) {
                acknowledged.add(subject);
              }
            } catch (Exception e) {
              return null; // the server is gone: this batch may or may not be stored
            }
          }
          return null;
        });
      }
      // Kill at a random moment: 0.3 to 2.3 s into the load.
      TimeUnit.MILLISECONDS.sleep(300 + random.nextInt(2000));
      server.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no checkpoint, no flush
      assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
      stop.set(true);
      producers.shutdown();
      assertThat(producers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

      if (writePath.isEmpty()) {
        Map<String, Long> direct = countsFromTheCli(data);
        for (String s : acknowledged) {
          assertThat(direct.get(s)).as("acknowledged batch %s read by tally query after trial %d", s, trial)
              .isEqualTo(EVENTS_PER_BATCH);
        }
      }
      Path log2 = dir.resolve("restart-" + trial + ".log");
      Process again = serve(data, log2);
      try {
        URI base2 = awaitUri(again, log2);
        Map<String, Long> counts = counts(base2, key);
        for (String s : acknowledged) {
          assertThat(counts.get(s)).as("acknowledged batch %s after trial %d", s, trial).isEqualTo(EVENTS_PER_BATCH);
        }
        counts.forEach((s, c) -> assertThat(c).as("batch %s is whole or absent", s).isEqualTo(EVENTS_PER_BATCH));
        assertThat(sent).containsAll(counts.keySet());
        // Every producer retries everything it ever sent: each batch then counts exactly once.
        for (String s : sent) {
          HttpResponse<String> r = send(base2, key, "POST", "/api/v1/events", batch(s));
          assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
          acknowledged.add(s);
        }
        Map<String, Long> after = counts(base2, key);
        assertThat(after.keySet()).isEqualTo(sent);
        after.forEach((s, c) -> assertThat(c).as("batch %s after retries", s).isEqualTo(EVENTS_PER_BATCH));
        totalAcked = acknowledged.size();
      } finally {
        again.destroy();
        again.waitFor(60, TimeUnit.SECONDS);
      }
    }
    System.out.printf("crash trials (%s): %d, batches acknowledged and verified: %d (%d events)%n",
        writePath.isEmpty() ? "ack from log" : "store group commit", trials, totalAcked, totalAcked * EVENTS_PER_BATCH);
    assertThat(totalAcked).isPositive();
  }
}
