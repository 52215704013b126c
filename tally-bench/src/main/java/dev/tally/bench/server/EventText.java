package dev.tally.bench.server;

import java.time.Instant;

/**
 * The events of the benchmark: API requests with a token count, for 1,000 subjects over 2024, each with an id unique
 * within the run so that nothing is deduplicated away.
 */
final class EventText {
  static final long YEAR_2024 = Instant.parse("2024-01-01T00:00:00Z").getEpochSecond();
  private static final String[] ENDPOINTS = {"/v1/chat", "/v1/translate", "/v1/files", "/v1/embeddings"};

  private EventText() {}

  static int subject(long n) {
    return (int) (n % 1000);
  }

  static long epochSecond(long n) {
    return YEAR_2024 + (n * 7919) % (366L * 86400);
  }

  static String endpoint(long n) {
    return ENDPOINTS[(int) (n % ENDPOINTS.length)];
  }

  static int tokens(long n) {
    return (int) (n % 997) + 1;
  }

  /** One CloudEvent as JSON text. */
  static void append(StringBuilder sb, String run, long n) {
    sb.append("{\"specversion\":\"1.0\",\"id\":\"").append(run).append('-').append(n)
        .append("\",\"source\":\"bench\",\"type\":\"api.request\",\"subject\":\"customer-").append(subject(n))
        .append("\",\"time\":\"").append(Instant.ofEpochSecond(epochSecond(n)))
        .append("\",\"data\":{\"endpoint\":\"").append(endpoint(n)).append("\",\"tokens\":").append(tokens(n))
        .append("}}");
  }
}
