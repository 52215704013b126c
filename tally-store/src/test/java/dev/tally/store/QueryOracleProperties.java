package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.api.Aggregation;
import dev.tally.api.Event;
import dev.tally.api.Meter;
import dev.tally.api.UsageQuery;
import dev.tally.api.UsageResult;
import dev.tally.api.WindowSize;
import dev.tally.core.time.Window;
import dev.tally.core.time.Windows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import dev.tally.store.QueryOracle.Case;

/**
 * For random events, meters, windows, zones, groupings and filters, the store's answer equals a naive in-memory
 * computation written straight from the documented semantics ({@link QueryOracle}).
 */
class QueryOracleProperties {
  private static final AtomicInteger TENANTS = new AtomicInteger();

  private static Path dir;
  private static TallyStore store;

  @BeforeContainer
  static void open() throws IOException {
    dir = Files.createTempDirectory("tally-oracle");
    store = TallyStore.open(dir, new TestingClock(QueryOracle.NOW));
  }

  @AfterContainer
  static void close() throws IOException {
    store.close();
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  @Provide
  Arbitrary<Case> cases() {
    return QueryOracle.cases();
  }

  @Property(tries = 150)
  void storeAgreesWithTheOracle(@ForAll("cases") Case c) {
    String tenant = "p" + TENANTS.incrementAndGet();
    store.meters().apply(tenant, List.of(QueryOracle.meter(c)), false);
    store.ingestor().ingest(tenant, QueryOracle.events(c), QueryOracle.NOW);
    UsageResult actual = store.queries().query(tenant, QueryOracle.query(c));
    Map<String, BigDecimal> expected = QueryOracle.expected(c);
    Map<String, BigDecimal> got = QueryOracle.rows(actual);
    assertThat(got.keySet()).as("rows").isEqualTo(expected.keySet());
    expected.forEach((k, v) -> assertThat(got.get(k)).as(k).isEqualByComparingTo(v));
  }
}
