package dev.tally.store.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.api.Aggregation;
import dev.tally.api.Event;
import dev.tally.api.Meter;
import dev.tally.api.TallyException;
import dev.tally.store.TallyStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lake export on a real store, read back with DuckDB's own Parquet reader. */
class LakeExportTest {
  private static final Instant NOW = Instant.parse("2024-06-01T00:00:00Z");

  @TempDir Path data;
  @TempDir Path lake;
  TallyStore store;

  @BeforeEach
  void open() {
    store = TallyStore.open(data, Clock.fixed(NOW, ZoneOffset.UTC));
    store.meters().apply("acme", List.of(
        new Meter("tokens", "", "ai", Aggregation.SUM, Optional.of("$.tokens"), Map.of("model", "$.model"),
            Optional.empty()),
        new Meter("calls", "", "ai", Aggregation.COUNT, Optional.empty(), Map.of(), Optional.empty())), false);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static Event ai(String id, String time, int tokens) {
    return Event.of(id, "app", "ai", "c1", Instant.parse(time), "{\"tokens\":" + tokens + ",\"model\":\"m\"}");
  }

  private LakeExport.Request all() {
    return new LakeExport.Request(lake, Optional.empty(), Optional.empty(), Optional.empty());
  }

  @Test
  void secondRunAddsOnlyWhatIsNewAndRewritesNoFile() throws Exception {
    store.ingestor().ingest("acme", List.of(ai("e1", "2024-04-01T10:00:00Z", 5), ai("e2", "2024-04-02T10:00:00Z", 7)),
        NOW);
    ExportReport first = new LakeExport(store).export(all());
    assertThat(first.tenants().get("acme")).containsEntry("events", 2L).containsEntry("meter_values/tokens", 2L)
        .containsEntry("meter_values/calls", 2L);
    assertThat(Files.exists(lake.resolve("events/tenant=acme/date=2024-04-01"))).isTrue();
    assertThat(Files.readString(lake.resolve("definitions/tenant=acme/meters.json"))).contains("\"tokens\"");
    Map<Path, FileTime> before = files();

    // A duplicate (not stored), a late event for an old day and a new one.
    store.ingestor().ingest("acme", List.of(ai("e1", "2024-04-01T10:00:00Z", 5), ai("e3", "2024-04-01T23:00:00Z", 11),
        ai("e4", "2024-04-03T01:00:00Z", 13)), NOW);
    ExportReport second = new LakeExport(store).export(all());
    assertThat(second.tenants().get("acme")).containsEntry("events", 2L).containsEntry("meter_values/tokens", 2L);
    assertThat(second.definitions()).isEmpty();
    Map<Path, FileTime> after = files();
    before.forEach((p, t) -> assertThat(after.get(p)).as("untouched " + p).isEqualTo(t));
    assertThat(after.size()).isGreaterThan(before.size());

    assertThat(duck("SELECT sum(value) FROM read_parquet('" + lake + "/meter_values/**/*.parquet', "
        + "hive_partitioning = true) WHERE meter = 'tokens'")).isEqualTo("36.000000000");
    assertThat(duck("SELECT count(DISTINCT id) || '/' || count(*) FROM read_parquet('" + lake
        + "/events/**/*.parquet')")).isEqualTo("4/4");

    ExportReport third = new LakeExport(store).export(all());
    assertThat(third.rows()).isZero();
    assertThat(third.files()).isZero();
    assertThat(third.describe()).contains("nothing new");
  }

  @Test
  void filesOfARunThatNeverSavedItsStateAreRemoved() throws Exception {
    store.ingestor().ingest("acme", List.of(ai("e1", "2024-04-01T10:00:00Z", 5)), NOW);
    new LakeExport(store).export(all());
    Path orphan = lake.resolve("events/tenant=acme/date=2024-04-01/part-r20240601T000000-deadbeef-x.parquet");
    Files.copy(Files.list(orphan.getParent()).findFirst().orElseThrow(), orphan);
    new LakeExport(store).export(all());
    assertThat(orphan).doesNotExist();
    assertThat(duck("SELECT count(*) FROM read_parquet('" + lake + "/events/**/*.parquet')")).isEqualTo("1");
  }

  @Test
  void aChangedMeterOrRangeIsRefusedWithTheReason() {
    store.ingestor().ingest("acme", List.of(ai("e1", "2024-04-01T10:00:00Z", 5)), NOW);
    new LakeExport(store).export(all());
    assertThatThrownBy(() -> new LakeExport(store).export(new LakeExport.Request(lake, Optional.of("acme"),
        Optional.of(Instant.parse("2024-01-01T00:00:00Z")), Optional.empty())))
        .isInstanceOf(TallyException.class).hasMessageContaining("range differs");
    store.meters().put("acme", new Meter("calls", "", "ai", Aggregation.COUNT, Optional.empty(),
        Map.of("model", "$.model"), Optional.empty()));
    assertThatThrownBy(() -> new LakeExport(store).export(all()))
        .isInstanceOf(TallyException.class).hasMessageContaining("meter 'calls'").hasMessageContaining("new directory");
  }

  @Test
  void rangeAndTenantLimitTheExport() throws Exception {
    store.ingestor().ingest("acme", List.of(ai("e1", "2024-04-01T10:00:00Z", 5), ai("e2", "2024-05-02T10:00:00Z", 7)),
        NOW);
    store.ingestor().ingest("other", List.of(Event.of("o1", "app", "x", "s", NOW.minusSeconds(60), "{}")), NOW);
    ExportReport r = new LakeExport(store).export(new LakeExport.Request(lake, Optional.of("acme"),
        Optional.of(Instant.parse("2024-04-01T00:00:00Z")), Optional.of(Instant.parse("2024-05-01T00:00:00Z"))));
    assertThat(r.tenants()).containsOnlyKeys("acme");
    assertThat(r.tenants().get("acme")).containsEntry("events", 1L);
    assertThat(lake.resolve("events/tenant=other")).doesNotExist();
    assertThatThrownBy(() -> new LakeExport(store).export(new LakeExport.Request(lake, Optional.of("nobody"),
        Optional.empty(), Optional.empty()))).hasMessageContaining("no tenant 'nobody'");
  }

  private Map<Path, FileTime> files() throws IOException {
    Map<Path, FileTime> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(lake)) {
      for (Path p : s.filter(p -> p.toString().endsWith(".parquet")).toList()) {
        m.put(p, Files.getLastModifiedTime(p));
      }
    }
    return m;
  }

  private static String duck(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
