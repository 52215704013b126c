package dev.tally.core.demo;

import dev.tally.api.Aggregation;
import dev.tally.api.Event;
import dev.tally.api.Meter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The demo tenant: a year (2024, a leap year) of a cloud and AI provider's usage by a few dozen customers, generated
 * deterministically from a seed, so every figure in the docs and tests can be reproduced.
 *
 * <p>Shape (all per customer {@code customer-01} ... {@code customer-NN}, each with its own size factor):
 * <ul>
 *   <li>{@code ai.tokens}: calls to four models, input and output tokens; volume grows about 8% a month.</li>
 *   <li>{@code translation.characters}: translated characters by language pair; a spike (x4) in the week before the
 *       "launch event", {@link #TRANSLATION_SPIKE_START} to {@link #TRANSLATION_SPIKE_END}.</li>
 *   <li>{@code storage.sample}: object storage in GB sampled every hour; grows from 100% to about 255% of its January
 *       size over ten months (so +155%, compounding ~9.8% a month), and doubles during one migration week,
 *       {@link #STORAGE_SPIKE_START} to {@link #STORAGE_SPIKE_END}.</li>
 *   <li>{@code api.request}: API requests by endpoint, more on weekdays than at weekends.</li>
 * </ul>
 * Event ids are derived from the content's position in the generation, so loading the demo twice stores nothing new.
 *
 * <p>To extend it, add a stream in {@link #generate(Consumer)} and its meters in {@link #meters()}; keep the random
 * draws of existing streams in the same order, or every documented figure changes.
 */
public final class DemoData {
  /** The demo's year. */
  public static final int YEAR = 2024;
  public static final Instant FROM = LocalDate.of(YEAR, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
  public static final Instant TO = LocalDate.of(YEAR + 1, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
  /** Storage migration week: storage doubles. */
  public static final LocalDate STORAGE_SPIKE_START = LocalDate.of(YEAR, 6, 10);
  public static final LocalDate STORAGE_SPIKE_END = LocalDate.of(YEAR, 6, 17);
  /** The week before the launch event: translation volume x4. */
  public static final LocalDate TRANSLATION_SPIKE_START = LocalDate.of(YEAR, 9, 9);
  public static final LocalDate TRANSLATION_SPIKE_END = LocalDate.of(YEAR, 9, 16);
  /** The source of every demo event. */
  public static final String SOURCE = "tally-demo";

  static final List<String> MODELS = List.of("gpt-4o", "claude-sonnet", "llama-70b", "mistral-large");
  static final List<String> PAIRS = List.of("en-fr", "en-de", "fr-en", "en-ja", "de-en", "en-es");
  static final List<String> ENDPOINTS = List.of("/v1/chat", "/v1/translate", "/v1/files", "/v1/embeddings");

  private final long seed;
  private final int customers;

  /**
   * @param seed the random seed (the docs use 42)
   * @param customers how many customers (the docs use 40)
   */
  public DemoData(long seed, int customers) {
    if (customers < 1 || customers > 999) {
      throw new IllegalArgumentException("customers must be 1..999, got " + customers);
    }
    this.seed = seed;
    this.customers = customers;
  }

  /** The subject of customer {@code i} (1-based). */
  public static String subject(int i) {
    return String.format("customer-%02d", i);
  }

  /** The meters the demo declares. */
  public static List<Meter> meters() {
    return List.of(
        meter("ai_tokens", "AI model tokens by model and direction", "ai.tokens", Aggregation.SUM, "$.tokens",
            Map.of("model", "$.model", "direction", "$.direction")),
        meter("ai_users", "Distinct end users calling AI models", "ai.tokens", Aggregation.UNIQUE_COUNT, "$.user",
            Map.of()),
        meter("translation_chars", "Translated characters by language pair", "translation.characters",
            Aggregation.SUM, "$.characters", Map.of("language_pair", "$.language_pair")),
        meter("storage_gb", "Object storage in GB-hours (time-weighted)", "storage.sample",
            Aggregation.TIME_WEIGHTED_SUM, "$.gb", Map.of("region", "$.region")),
        meter("storage_gb_avg", "Average object storage in GB (time-weighted)", "storage.sample",
            Aggregation.TIME_WEIGHTED_AVG, "$.gb", Map.of("region", "$.region")),
        meter("storage_gb_latest", "Latest storage sample in GB", "storage.sample", Aggregation.LATEST, "$.gb",
            Map.of("region", "$.region")),
        meter("api_requests", "API requests by endpoint", "api.request", Aggregation.COUNT, null,
            Map.of("endpoint", "$.endpoint")));
  }

  private static Meter meter(String slug, String description, String type, Aggregation agg, String value,
      Map<String, String> groupBy) {
    return new Meter(slug, description, type, agg, Optional.ofNullable(value), new LinkedHashMap<>(groupBy),
        Optional.empty());
  }

  /** Generates every event, in time order per stream, to the consumer. */
  public void generate(Consumer<Event> out) {
    SplittableRandom root = new SplittableRandom(seed);
    long[] n = {0};
    LocalDate start = LocalDate.of(YEAR, 1, 1);
    int days = (int) ChronoUnit.DAYS.between(start, start.plusYears(1));
    for (int c = 1; c <= customers; c++) {
      SplittableRandom rnd = root.split();
      String subject = subject(c);
      double size = 0.5 + rnd.nextDouble() * 1.5;
      String region = c % 3 == 0 ? "eu-west" : c % 3 == 1 ? "us-east" : "ap-south";
      double baseGb = Math.round(200 * size) + 20;
      for (int d = 0; d < days; d++) {
        LocalDate day = start.plusDays(d);
        Instant midnight = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        double months = d / 30.44;
        boolean weekend = day.getDayOfWeek().getValue() >= 6;
        // AI tokens: a dozen calls a day, growing ~8%/month.
        int calls = (int) Math.round((weekend ? 5 : 12) * size * Math.pow(1.08, months));
        for (int k = 0; k < calls; k++) {
          Instant t = midnight.plusSeconds(rnd.nextInt(86_400));
          String model = MODELS.get(rnd.nextInt(MODELS.size()));
          String user = "user-" + (c * 100 + rnd.nextInt(25));
          long in = 200 + rnd.nextInt(3_800);
          long outTokens = 50 + rnd.nextInt(1_200);
          out.accept(event("ai", ++n[0], "ai.tokens", subject, t, "{\"model\":\"" + model
              + "\",\"direction\":\"input\",\"tokens\":" + in + ",\"user\":\"" + user + "\"}"));
          out.accept(event("ai", ++n[0], "ai.tokens", subject, t, "{\"model\":\"" + model
              + "\",\"direction\":\"output\",\"tokens\":" + outTokens + ",\"user\":\"" + user + "\"}"));
        }
        // Translation: a few jobs a day, x4 in the week before the launch.
        boolean launchWeek = !day.isBefore(TRANSLATION_SPIKE_START) && day.isBefore(TRANSLATION_SPIKE_END);
        int jobs = (int) Math.round((weekend ? 1 : 4) * size * (launchWeek ? 4 : 1));
        for (int k = 0; k < jobs; k++) {
          Instant t = midnight.plusSeconds(rnd.nextInt(86_400));
          String pair = PAIRS.get(rnd.nextInt(PAIRS.size()));
          long chars = 1_000 + rnd.nextInt(40_000);
          out.accept(event("tr", ++n[0], "translation.characters", subject, t,
              "{\"language_pair\":\"" + pair + "\",\"characters\":" + chars + "}"));
        }
        // Storage: hourly samples; +155% over ten months, doubled in the migration week.
        boolean migration = !day.isBefore(STORAGE_SPIKE_START) && day.isBefore(STORAGE_SPIKE_END);
        for (int h = 0; h < 24; h++) {
          double growth = Math.pow(2.55, Math.min(months, 10.0) / 10.0);
          double gb = baseGb * growth * (migration ? 2 : 1) * (1 + (rnd.nextDouble() - 0.5) * 0.02);
          BigDecimal v = BigDecimal.valueOf(gb).setScale(3, RoundingMode.HALF_EVEN);
          out.accept(event("st", ++n[0], "storage.sample", subject, midnight.plusSeconds(h * 3600L),
              "{\"gb\":" + v.toPlainString() + ",\"region\":\"" + region + "\"}"));
        }
        // API requests: ~20 a weekday.
        int requests = (int) Math.round((weekend ? 6 : 20) * size);
        for (int k = 0; k < requests; k++) {
          Instant t = midnight.plusSeconds(rnd.nextInt(86_400));
          String endpoint = ENDPOINTS.get(rnd.nextInt(ENDPOINTS.size()));
          out.accept(event("rq", ++n[0], "api.request", subject, t,
              "{\"endpoint\":\"" + endpoint + "\",\"status\":200}"));
        }
      }
    }
  }

  private static Event event(String prefix, long n, String type, String subject, Instant time, String data) {
    return Event.of(prefix + "-" + n, SOURCE, type, subject, time, data);
  }
}
