package dev.tally.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.api.Aggregation;
import dev.tally.api.Event;
import dev.tally.api.Meter;
import dev.tally.api.UsageQuery;
import dev.tally.api.WindowSize;
import dev.tally.core.format.UsageFormats;
import dev.tally.store.TallyStore;
import dev.tally.store.export.ExportReport;
import dev.tally.store.export.LakeExport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export, ingest more (new, late and duplicate events), export again: Spark still equals DuckDB, nothing twice. */
class IncrementalExportTest {
  private static final Instant NOW = Instant.parse("2024-05-01T00:00:00Z");
  private static final Instant BASE = Instant.parse("2024-03-30T00:00:00Z");

  @TempDir Path dir;

  private static List<Event> batch(int from, int to) {
    List<Event> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      // Spread over three days across the Paris DST change, three subjects, two regions; the same ids again later.
      Instant t = BASE.plus(Duration.ofMinutes(37L * i % (3 * 24 * 60)));
      out.add(Event.of("e" + i, "app", "gauge", "s" + (i % 3), t,
          "{\"gb\":" + (i % 7) + "." + (i % 10) + ",\"region\":\"" + (i % 2 == 0 ? "eu" : "us") + "\",\"u\":\"u"
              + (i % 5) + "\"}"));
    }
    return out;
  }

  @Test
  void secondExportAddsOnlyTheNewEventsAndAnswersStayEqual() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    try (TallyStore store = TallyStore.open(dir.resolve("store"), clock)) {
      List<Meter> meters = new ArrayList<>();
      for (Aggregation a : Aggregation.values()) {
        String value = a == Aggregation.UNIQUE_COUNT ? "$.u" : "$.gb";
        meters.add(new Meter(a.name().toLowerCase(), "", "gauge", a, a.needsValue() ? Optional.of(value)
            : Optional.empty(), Map.of("region", "$.region"), Optional.empty()));
      }
      store.meters().apply("t", meters, false);
      Path lake = dir.resolve("lake");
      LakeExport.Request all = new LakeExport.Request(lake, Optional.empty(), Optional.empty(), Optional.empty());
      SparkUsageEngine spark = new SparkUsageEngine(new SparkLake(SharedSpark.get(), lake.toString()), clock);

      store.ingestor().ingest("t", batch(0, 120), NOW);
      ExportReport first = new LakeExport(store).export(all);
      assertThat(first.tenants().get("t")).containsEntry("events", 120L);
      assertSame(store, spark, meters);

      // Half of the second batch was already stored (ids e60..e119): only 60 are new, some of them late.
      store.ingestor().ingest("t", batch(60, 180), NOW);
      ExportReport second = new LakeExport(store).export(all);
      assertThat(second.tenants().get("t")).containsEntry("events", 60L).containsEntry("meter_values/sum", 60L);
      assertSame(store, spark, meters);
      assertThat(spark.query("t", new UsageQuery("count", BASE, NOW, Optional.empty(), ZoneId.of("UTC"), List.of(),
          List.of(), Map.of())).data().get(0).value()).isEqualByComparingTo("180");
    }
  }

  private static void assertSame(TallyStore store, SparkUsageEngine spark, List<Meter> meters) {
    for (Meter m : meters) {
      for (UsageQuery q : List.of(
          new UsageQuery(m.slug(), BASE, BASE.plus(Duration.ofDays(3)), Optional.of(WindowSize.DAY),
              ZoneId.of("Europe/Paris"), List.of(), List.of("subject", "region"), Map.of()),
          new UsageQuery(m.slug(), BASE.plus(Duration.ofHours(5)), BASE.plus(Duration.ofDays(2)),
              Optional.of(WindowSize.HOUR), ZoneId.of("Europe/Paris"), List.of("s1"), List.of(),
              Map.of("region", "us")))) {
        assertThat(UsageFormats.json(spark.query("t", q))).as(q.toString())
            .isEqualTo(UsageFormats.json(store.queries().query("t", q)));
      }
    }
  }
}
