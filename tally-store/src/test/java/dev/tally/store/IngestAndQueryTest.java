package dev.tally.store;

import static dev.tally.store.Fixtures.event;
import static dev.tally.store.Fixtures.meter;
import static dev.tally.store.Fixtures.query;
import static dev.tally.store.Fixtures.windowed;
import static dev.tally.store.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.api.Aggregation;
import dev.tally.api.ErrorCode;
import dev.tally.api.Event;
import dev.tally.api.IngestResult;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.api.UsageResult;
import dev.tally.api.UsageRow;
import dev.tally.api.WindowSize;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ingest and query on a real DuckDB store in a temporary directory. */
class IngestAndQueryTest {
  private static final Instant NOW = Instant.parse("2024-12-31T00:00:00Z");

  @TempDir Path dir;
  TestingClock clock = new TestingClock(NOW);
  TallyStore store;

  @BeforeEach
  void open() {
    store = TallyStore.open(dir, clock);
    store.meters().apply("t1", List.of(
        meter("tokens", "ai", Aggregation.SUM, "$.tokens", Map.of("model", "$.model")),
        meter("calls", "ai", Aggregation.COUNT, null, Map.of("model", "$.model")),
        meter("avg", "ai", Aggregation.AVG, "$.tokens", Map.of()),
        meter("min", "ai", Aggregation.MIN, "$.tokens", Map.of()),
        meter("max", "ai", Aggregation.MAX, "$.tokens", Map.of()),
        meter("users", "ai", Aggregation.UNIQUE_COUNT, "$.user", Map.of()),
        meter("latest", "ai", Aggregation.LATEST, "$.tokens", Map.of())), false);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private IngestResult ingest(String tenant, Event... events) {
    return store.ingestor().ingest(tenant, List.of(events), NOW);
  }

  private static BigDecimal single(UsageResult r) {
    assertThat(r.data()).hasSize(1);
    return r.data().get(0).value();
  }

  private void seed() {
    ingest("t1",
        event("1", "ai", "alice", "2024-01-01T10:00:00Z", "{\"tokens\":10,\"model\":\"a\",\"user\":\"u1\"}"),
        event("2", "ai", "alice", "2024-01-01T11:00:00Z", "{\"tokens\":\"2.5\",\"model\":\"b\",\"user\":\"u2\"}"),
        event("3", "ai", "bob", "2024-01-02T09:00:00Z", "{\"tokens\":7,\"model\":\"a\",\"user\":\"u1\"}"),
        event("4", "ai", "bob", "2024-01-02T23:30:00Z", "{\"tokens\":0.1,\"model\":\"a\",\"user\":3}"));
  }

  @Test
  void everyAggregationIsExact() {
    seed();
    String f = "2024-01-01T00:00:00Z";
    String t = "2024-02-01T00:00:00Z";
    assertThat(single(store.queries().query("t1", query("tokens", f, t)))).isEqualByComparingTo("19.6");
    assertThat(single(store.queries().query("t1", query("calls", f, t)))).isEqualByComparingTo("4");
    assertThat(single(store.queries().query("t1", query("avg", f, t)))).isEqualByComparingTo("4.9");
    assertThat(single(store.queries().query("t1", query("min", f, t)))).isEqualByComparingTo("0.1");
    assertThat(single(store.queries().query("t1", query("max", f, t)))).isEqualByComparingTo("10");
    assertThat(single(store.queries().query("t1", query("users", f, t)))).isEqualByComparingTo("3");
    assertThat(single(store.queries().query("t1", query("latest", f, t)))).isEqualByComparingTo("0.1");
  }

  @Test
  void groupsLikeOpenMeter() {
    seed();
    String f = "2024-01-01T00:00:00Z";
    String t = "2024-02-01T00:00:00Z";
    // No subject, no groupBy: one figure across subjects, subject absent.
    UsageResult all = store.queries().query("t1", query("tokens", f, t));
    assertThat(all.data()).singleElement().satisfies(r -> assertThat(r.subject()).isEmpty());
    // A subject filter also groups by subject.
    UsageResult bob = store.queries().query("t1", with(query("tokens", f, t), List.of("bob"), List.of(), Map.of()));
    assertThat(bob.data()).singleElement().satisfies(r -> {
      assertThat(r.subject()).contains("bob");
      assertThat(r.value()).isEqualByComparingTo("7.1");
    });
    UsageResult bySubjectAndModel = store.queries().query("t1",
        with(query("tokens", f, t), List.of(), List.of("subject", "model"), Map.of()));
    assertThat(bySubjectAndModel.data()).extracting(r -> r.subject().orElseThrow() + "/" + r.groupBy().get("model")
        + "=" + r.value().stripTrailingZeros().toPlainString())
        .containsExactly("alice/a=10", "alice/b=2.5", "bob/a=7.1");
    UsageResult filtered = store.queries().query("t1",
        with(query("tokens", f, t), List.of(), List.of(), Map.of("model", "a")));
    assertThat(single(filtered)).isEqualByComparingTo("17.1");
  }

  @Test
  void windowsAreLocalDaysInTheZone() {
    seed();
    // In New York, 2024-01-02T23:30Z is still Jan 2 (18:30), and 2024-01-01T10:00Z is Jan 1 (05:00).
    UsageResult r = store.queries().query("t1",
        windowed("tokens", "2024-01-01T05:00:00Z", "2024-01-04T05:00:00Z", WindowSize.DAY, "America/New_York"));
    assertThat(r.data()).extracting(UsageRow::windowStart, UsageRow::value).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Instant.parse("2024-01-01T05:00:00Z"), new BigDecimal("12.500000000")),
        org.assertj.core.groups.Tuple.tuple(Instant.parse("2024-01-02T05:00:00Z"), new BigDecimal("7.100000000")));
    assertThat(r.data().get(0).windowEnd()).isEqualTo(Instant.parse("2024-01-02T05:00:00Z"));
  }

  @Test
  void aDstDayInParisIs23Hours() {
    ingest("t1",
        event("a", "ai", "x", "2024-03-30T22:59:59Z", "{\"tokens\":1,\"model\":\"a\",\"user\":\"u\"}"),
        event("b", "ai", "x", "2024-03-30T23:00:00Z", "{\"tokens\":2,\"model\":\"a\",\"user\":\"u\"}"),
        event("c", "ai", "x", "2024-03-31T21:59:59Z", "{\"tokens\":4,\"model\":\"a\",\"user\":\"u\"}"),
        event("d", "ai", "x", "2024-03-31T22:00:00Z", "{\"tokens\":8,\"model\":\"a\",\"user\":\"u\"}"));
    UsageResult r = store.queries().query("t1",
        windowed("tokens", "2024-03-29T23:00:00Z", "2024-04-01T22:00:00Z", WindowSize.DAY, "Europe/Paris"));
    assertThat(r.data()).extracting(row -> row.windowStart() + ".." + row.windowEnd() + "=" + row.value().intValue())
        .containsExactly(
            "2024-03-29T23:00:00Z..2024-03-30T23:00:00Z=1",
            "2024-03-30T23:00:00Z..2024-03-31T22:00:00Z=6",
            "2024-03-31T22:00:00Z..2024-04-01T22:00:00Z=8");
  }

  @Test
  void theRepeatedHourIsTwoHourWindows() {
    ingest("t1",
        event("a", "ai", "x", "2024-10-27T00:30:00Z", "{\"tokens\":1,\"model\":\"a\",\"user\":\"u\"}"),
        event("b", "ai", "x", "2024-10-27T01:30:00Z", "{\"tokens\":2,\"model\":\"a\",\"user\":\"u\"}"));
    UsageResult r = store.queries().query("t1",
        windowed("tokens", "2024-10-26T22:00:00Z", "2024-10-27T23:00:00Z", WindowSize.HOUR, "Europe/Paris"));
    assertThat(r.data()).extracting(row -> row.windowStart().toString()).containsExactly(
        "2024-10-27T00:00:00Z", "2024-10-27T01:00:00Z");
  }

  @Test
  void duplicatesCountOnceWithinAndAcrossBatches() {
    Event e = event("same", "ai", "x", "2024-01-01T00:00:00Z", "{\"tokens\":5,\"model\":\"a\",\"user\":\"u\"}");
    IngestResult first = ingest("t1", e, e);
    assertThat(first).isEqualTo(new IngestResult(2, 1, 1, 0));
    assertThat(ingest("t1", e)).isEqualTo(new IngestResult(1, 0, 1, 0));
    // Same id from another source is another event.
    Event other = new Event("same", "other-source", "1.0", "ai", "x", e.time(), e.data(), e.datacontenttype(),
        e.dataschema());
    assertThat(ingest("t1", other)).isEqualTo(new IngestResult(1, 1, 0, 0));
    assertThat(single(store.queries().query("t1", query("tokens", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"))))
        .isEqualByComparingTo("10");
  }

  @Test
  void aBatchWithAValueThatDoesNotFitStoresNothing() {
    assertThatThrownBy(() -> ingest("t1",
        event("ok", "ai", "x", "2024-01-01T00:00:00Z", "{\"tokens\":5,\"model\":\"a\",\"user\":\"u\"}"),
        event("bad", "ai", "x", "2024-01-01T00:00:00Z", "{\"tokens\":\"five\",\"model\":\"a\",\"user\":\"u\"}"),
        event("missing", "ai", "x", "2024-01-01T00:00:00Z", "{\"model\":\"a\",\"user\":\"u\"}"),
        event("precise", "ai", "x", "2024-01-01T00:00:00Z", "{\"tokens\":0.0000000001,\"model\":\"a\",\"user\":\"u\"}"),
        event("bool", "ai", "x", "2024-01-01T00:00:00Z", "{\"tokens\":true,\"model\":\"a\",\"user\":\"u\"}")))
        .isInstanceOfSatisfying(TallyException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
          assertThat(e.problems()).extracting(p -> p.index().getAsLong()).contains(1L, 2L, 3L, 4L)
              .doesNotContain(0L);
          assertThat(e.problems()).filteredOn(p -> p.index().getAsLong() == 1L && p.message().contains("tokens"))
              .first().satisfies(p -> {
                assertThat(p.field()).isEqualTo("data.tokens");
                assertThat(p.given()).contains("five");
              });
          assertThat(e.problems()).filteredOn(p -> p.index().getAsLong() == 2L).extracting(Problem::message)
              .anySatisfy(m -> assertThat(m).startsWith("is missing"));
        });
    // Nothing was stored, and the good event is not marked seen: sending it again stores it.
    assertThat(store.queries().query("t1", query("calls", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z")).data())
        .isEmpty();
    assertThat(ingest("t1", event("ok", "ai", "x", "2024-01-01T00:00:00Z",
        "{\"tokens\":5,\"model\":\"a\",\"user\":\"u\"}"))).isEqualTo(new IngestResult(1, 1, 0, 0));
  }

  @Test
  void groupCommitAcceptsAndRejectsBatchesIndependently() {
    Instant now = NOW;
    List<EventIngestor.Outcome> outcomes = store.ingestor().ingestAll(List.of(
        new EventIngestor.Batch("t1", List.of(event("1", "ai", "x", "2024-01-01T00:00:00Z",
            "{\"tokens\":1,\"model\":\"a\",\"user\":\"u\"}")), now),
        new EventIngestor.Batch("t1", List.of(event("2", "ai", "x", "2024-01-01T00:00:00Z",
            "{\"tokens\":\"x\",\"model\":\"a\",\"user\":\"u\"}")), now),
        new EventIngestor.Batch("t2", List.of(event("1", "ai", "x", "2024-01-01T00:00:00Z", "{\"tokens\":1}")), now),
        new EventIngestor.Batch("t1", List.of(event("1", "ai", "x", "2024-01-01T00:00:00Z",
            "{\"tokens\":1,\"model\":\"a\",\"user\":\"u\"}"), event("3", "ai", "x", "2024-01-01T00:00:00Z",
            "{\"tokens\":2,\"model\":\"a\",\"user\":\"u\"}")), now)));
    assertThat(outcomes.get(0).result()).contains(new IngestResult(1, 1, 0, 0));
    assertThat(outcomes.get(1).accepted()).isFalse();
    assertThat(outcomes.get(2).result()).contains(new IngestResult(1, 1, 0, 0));
    // Batch 3 repeats batch 0's event within the same commit: counted once overall.
    assertThat(outcomes.get(3).result()).contains(new IngestResult(2, 1, 1, 0));
    assertThat(single(store.queries().query("t1", query("tokens", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"))))
        .isEqualByComparingTo("3");
  }

  @Test
  void tenantsNeverSeeEachOther() {
    seed();
    store.meters().apply("t2", List.of(meter("tokens", "ai", Aggregation.SUM, "$.tokens", Map.of())), false);
    ingest("t2", event("1", "ai", "alice", "2024-01-01T10:00:00Z", "{\"tokens\":1000}"));
    assertThat(single(store.queries().query("t2", query("tokens", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z"))))
        .isEqualByComparingTo("1000");
    assertThat(single(store.queries().query("t1", query("tokens", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z"))))
        .isEqualByComparingTo("19.6");
    assertThatThrownBy(() -> store.queries().query("t2", query("calls", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z")))
        .isInstanceOfSatisfying(TallyException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
  }

  @Test
  void aMeterAddedLaterIsBackfilledAndAChangeRecomputes() {
    seed();
    MeterStore.MeterChange created = store.meters().put("t1",
        meter("bob_tokens", "ai", Aggregation.SUM, "$.tokens", Map.of()));
    assertThat(created.change()).isEqualTo(MeterStore.Change.CREATED);
    assertThat(created.backfilled()).isEqualTo(4);
    assertThat(single(store.queries().query("t1", query("bob_tokens", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z"))))
        .isEqualByComparingTo("19.6");
    MeterStore.MeterChange changed = store.meters().put("t1",
        meter("bob_tokens", "ai", Aggregation.SUM, "$.user", Map.of()));
    assertThat(changed.change()).isEqualTo(MeterStore.Change.UPDATED);
    assertThat(changed.backfilled()).isEqualTo(1); // only the numeric user 3
    assertThat(changed.skipped()).isEqualTo(3);
    assertThat(changed.skippedSample()).containsExactly("test/1", "test/2", "test/3");
    assertThat(store.meters().put("t1", meter("bob_tokens", "ai", Aggregation.SUM, "$.user", Map.of())).change())
        .isEqualTo(MeterStore.Change.UNCHANGED);
    store.meters().delete("t1", "bob_tokens");
    assertThat(store.meters().find("t1", "bob_tokens")).isEmpty();
  }

  @Test
  void eventFromIgnoresOlderEvents() {
    seed();
    store.meters().put("t1", new dev.tally.api.Meter("recent", "", "ai", Aggregation.SUM, java.util.Optional.of("$.tokens"),
        Map.of(), java.util.Optional.of(Instant.parse("2024-01-02T00:00:00Z"))));
    assertThat(single(store.queries().query("t1", query("recent", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z"))))
        .isEqualByComparingTo("7.1");
  }

  @Test
  void queryParameterErrorsNameTheParameter() {
    assertThatThrownBy(() -> store.queries().query("t1",
        with(query("tokens", "2024-02-01T00:00:00Z", "2024-01-01T00:00:00Z"), List.of(), List.of("colour"),
            Map.of("size", "L"))))
        .isInstanceOfSatisfying(TallyException.class, e -> assertThat(e.problems()).extracting(Problem::field)
            .containsExactlyInAnyOrder("from", "groupBy", "filterGroupBy"));
    assertThatThrownBy(() -> store.queries().query("t1",
        windowed("tokens", "2020-01-01T00:00:00Z", "2024-01-01T00:00:00Z", WindowSize.MINUTE, "UTC")))
        .hasMessageContaining("invalid query")
        .isInstanceOfSatisfying(TallyException.class, e -> assertThat(e.problems().get(0).field())
            .isEqualTo("windowSize"));
  }

  @Test
  void timeWeightedValuesCarryAcrossWindowEdges() {
    store.meters().apply("t1", List.of(
        meter("gbh", "storage", Aggregation.TIME_WEIGHTED_SUM, "$.gb", Map.of("bucket", "$.bucket")),
        meter("gbavg", "storage", Aggregation.TIME_WEIGHTED_AVG, "$.gb", Map.of("bucket", "$.bucket"))), false);
    ingest("t1",
        // Bucket a: 100 GB from Dec 31 22:00 (before the range), 300 GB from Jan 1 06:00, carried to the end.
        event("s1", "storage", "x", "2023-12-31T22:00:00Z", "{\"gb\":100,\"bucket\":\"a\"}"),
        event("s2", "storage", "x", "2024-01-01T06:00:00Z", "{\"gb\":300,\"bucket\":\"a\"}"),
        // Bucket b: 50 GB from Jan 1 12:00.
        event("s3", "storage", "x", "2024-01-01T12:00:00Z", "{\"gb\":50,\"bucket\":\"b\"}"));
    UsageResult r = store.queries().query("t1",
        windowed("gbh", "2024-01-01T00:00:00Z", "2024-01-03T00:00:00Z", WindowSize.DAY, "UTC"));
    // Day 1: a = 6h*100 + 18h*300 = 6000; b = 12h*50 = 600. Day 2: a = 24*300 = 7200; b = 24*50 = 1200.
    assertThat(r.data()).extracting(row -> row.value().stripTrailingZeros().toPlainString())
        .containsExactly("6600", "8400");
    UsageResult avg = store.queries().query("t1",
        windowed("gbavg", "2024-01-01T00:00:00Z", "2024-01-03T00:00:00Z", WindowSize.DAY, "UTC"));
    assertThat(avg.data()).extracting(row -> row.value().stripTrailingZeros().toPlainString())
        .containsExactly("275", "350");
    // The clock caps the last sample's carry: at Jan 2 12:00, day 2 holds 12 hours.
    clock.set(Instant.parse("2024-01-02T12:00:00Z"));
    UsageResult capped = store.queries().query("t1",
        with(windowed("gbh", "2024-01-01T00:00:00Z", "2024-01-03T00:00:00Z", WindowSize.DAY, "UTC"), List.of(),
            List.of("bucket"), Map.of()));
    assertThat(capped.data()).extracting(row -> row.groupBy().get("bucket") + "=" + row.value().intValue())
        .containsExactly("a=6000", "b=600", "a=3600", "b=600");
  }

  @Test
  void survivesReopening() {
    seed();
    store.close();
    store = TallyStore.open(dir, clock);
    assertThat(single(store.queries().query("t1", query("tokens", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z"))))
        .isEqualByComparingTo("19.6");
    // Sequence numbers continue after reopening: a new event is still found by its commit.
    assertThat(ingest("t1", event("5", "ai", "x", "2024-01-05T00:00:00Z",
        "{\"tokens\":1,\"model\":\"a\",\"user\":\"u\"}"))).isEqualTo(new IngestResult(1, 1, 0, 0));
    assertThat(single(store.queries().query("t1", query("tokens", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z"))))
        .isEqualByComparingTo("20.6");
  }

  @Test
  void aSecondProcessCannotOpenAHeldStore() throws Exception {
    Process p = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), OpenOnce.class.getName(), dir.toString())
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isEqualTo(3);
    assertThat(output).contains("in use by another Tally process");
  }

  /** Tries to open a store in another process; exit 3 with the message when it is held. */
  public static final class OpenOnce {
    public static void main(String[] args) {
      try {
        TallyStore.open(Path.of(args[0]), java.time.Clock.systemUTC()).close();
        System.exit(0);
      } catch (TallyException e) {
        System.out.println(e.getMessage());
        System.exit(e.code() == ErrorCode.UNAVAILABLE ? 3 : 4);
      }
    }
  }
}
