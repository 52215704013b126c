package dev.tally.store.cost;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalInt;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Delivers one alert to a webhook: an HTTP POST of JSON, signed so the receiver can tell it came from Tally and was
 * not altered or replayed, retried with exponential backoff.
 *
 * <p>Signature (like Stripe's): header {@code X-Tally-Timestamp} is the sending time in Unix seconds, and
 * {@code X-Tally-Signature} is {@code sha256=} followed by the lower-case hex HMAC-SHA256, keyed with the webhook's
 * secret, of {@code TIMESTAMP + "." + BODY}. A receiver recomputes it over the raw body and rejects stale timestamps.
 * {@code X-Tally-Alert-Id} carries the alert's id so that a receiver can drop duplicates (a delivery whose response was
 * lost is sent again).
 *
 * <p>A 2xx response is success; anything else, or no response, is retried after {@code backoff}, 2×, 4×... up to
 * {@code attempts} in all. Every attempt is reported to the caller, who records it.
 */
public final class WebhookSender {
  private final HttpClient client;
  private final Clock clock;
  private final int attempts;
  private final Duration backoff;

  /**
   * A sender; tests pass a short backoff rather than a fake clock or sleeper.
   *
   * @param clock for the timestamp header
   * @param attempts attempts in all, at least 1
   * @param backoff the wait before the second attempt; doubled each time after
   */
  public WebhookSender(Clock clock, int attempts, Duration backoff) {
    this.clock = requireNonNull(clock, "clock is null");
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, is " + attempts);
    }
    this.attempts = attempts;
    this.backoff = requireNonNull(backoff, "backoff is null");
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** One attempt's result: the HTTP status if there was a response, the error if not. */
  public record Attempt(int number, OptionalInt status, Optional<String> error) {
    public Attempt {
      requireNonNull(status, "status is null");
      requireNonNull(error, "error is null");
    }

    public boolean succeeded() {
      return status.isPresent() && status.getAsInt() / 100 == 2;
    }
  }

  /** Something that records an attempt as soon as it is made. */
  @FunctionalInterface
  public interface Recorder {
    void record(Attempt attempt);
  }

  /**
   * Sends {@code body} to {@code url}, retrying; returns whether an attempt succeeded.
   *
   * @param firstAttempt the number of the first attempt (attempts continue across runs)
   */
  public boolean send(String url, String secret, long alertId, String body, int firstAttempt, Recorder recorder) {
    Duration wait = backoff;
    for (int i = 0; i < attempts; i++) {
      Attempt a = attempt(url, secret, alertId, body, firstAttempt + i);
      recorder.record(a);
      if (a.succeeded()) {
        return true;
      }
      if (i + 1 < attempts) {
        sleep(wait);
        wait = wait.multipliedBy(2);
      }
    }
    return false;
  }

  private Attempt attempt(String url, String secret, long alertId, String body, int number) {
    String timestamp = Long.toString(clock.instant().getEpochSecond());
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url))
          .timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/json")
          .header("User-Agent", "tally-alerts")
          .header("X-Tally-Alert-Id", Long.toString(alertId))
          .header("X-Tally-Timestamp", timestamp)
          .header("X-Tally-Signature", "sha256=" + sign(secret, timestamp + "." + body))
          .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
          .build();
      HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
      return new Attempt(number, OptionalInt.of(response.statusCode()), response.statusCode() / 100 == 2
          ? Optional.empty() : Optional.of("HTTP " + response.statusCode()));
    } catch (IOException | IllegalArgumentException e) {
      return new Attempt(number, OptionalInt.empty(), Optional.of(e.getClass().getSimpleName() + ": "
          + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Attempt(number, OptionalInt.empty(), Optional.of("interrupted"));
    }
  }

  /** The lower-case hex HMAC-SHA256 of {@code message} keyed with {@code secret}. */
  static String sign(String secret, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable in this Java", e);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
