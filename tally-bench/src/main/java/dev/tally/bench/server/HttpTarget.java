package dev.tally.bench.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Tally over HTTP: one POST /api/v1/events per request, single events as cloudevents+json, batches as arrays. */
final class HttpTarget implements LoadTarget {
  private final ExecutorService executor;
  private final HttpClient http;
  private final URI events;
  private final String key;
  private final String run;

  HttpTarget(URI base, String key, String run, int connections) {
    this.executor = Executors.newFixedThreadPool(Math.max(2, connections / 8));
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
        .connectTimeout(Duration.ofSeconds(5)).build();
    this.events = base.resolve("/api/v1/events");
    this.key = key;
    this.run = run;
  }

  @Override
  public void send(long request, int count) throws Exception {
    StringBuilder sb = new StringBuilder(count * 220);
    long first = request * count;
    if (count == 1) {
      EventText.append(sb, run, first);
    } else {
      sb.append('[');
      for (int i = 0; i < count; i++) {
        if (i > 0) {
          sb.append(',');
        }
        EventText.append(sb, run, first + i);
      }
      sb.append(']');
    }
    HttpRequest r = HttpRequest.newBuilder(events).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + key)
        .header("Content-Type", count == 1 ? "application/cloudevents+json" : "application/cloudevents-batch+json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(sb.toString().getBytes(StandardCharsets.UTF_8))).build();
    HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() != 204) {
      throw new IllegalStateException("HTTP " + resp.statusCode() + ": " + resp.body());
    }
  }

  @Override
  public LoadTarget forThread() {
    return this;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
