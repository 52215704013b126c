package dev.tally.store.pricing;

import dev.tally.api.Aggregation;
import dev.tally.api.Event;
import dev.tally.api.Meter;
import dev.tally.store.TallyStore;
import dev.tally.store.TestingClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real store for the billing-operation tests: two meters (tokens by model, requests by endpoint), a clock the test
 * sets, and helpers to ingest events. Each test applies its own catalogue.
 */
final class PricingBed implements AutoCloseable {
  static final String TENANT = "bill";

  final TestingClock clock;
  final TallyStore store;
  final PricingStore pricing;
  private int nextId;

  PricingBed(Path dir, String now) {
    clock = new TestingClock(Instant.parse(now));
    store = TallyStore.open(dir, clock);
    store.meters().apply(TENANT, List.of(
        meter("tokens", "ai.tokens", Aggregation.SUM, "$.tokens", Map.of("model", "$.model")),
        meter("requests", "api.request", Aggregation.COUNT, null, Map.of("endpoint", "$.endpoint"))), false);
    pricing = PricingStore.open(store);
  }

  CatalogStore.ApplyResult apply(String yaml) {
    return pricing.catalog().apply(TENANT, yaml, "catalog.yaml");
  }

  /** {@code n} token events of {@code tokens} each for a subject and model at a time. */
  void tokens(String subject, String model, int n, long tokens, String at) {
    List<Event> events = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      events.add(Event.of("e" + nextId++, "test", "ai.tokens", subject, Instant.parse(at),
          "{\"model\":\"" + model + "\",\"tokens\":" + tokens + "}"));
    }
    store.ingestor().ingest(TENANT, events, clock.instant());
  }

  /** {@code n} requests of a subject at a time. */
  void requests(String subject, int n, String at) {
    List<Event> events = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      events.add(Event.of("e" + nextId++, "test", "api.request", subject, Instant.parse(at),
          "{\"endpoint\":\"/v1\"}"));
    }
    store.ingestor().ingest(TENANT, events, clock.instant());
  }

  private static Meter meter(String slug, String type, Aggregation agg, String value, Map<String, String> groupBy) {
    return new Meter(slug, "", type, agg, Optional.ofNullable(value), new LinkedHashMap<>(groupBy), Optional.empty());
  }

  @Override
  public void close() {
    store.close();
  }
}
