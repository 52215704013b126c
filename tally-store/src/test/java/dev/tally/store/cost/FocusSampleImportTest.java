package dev.tally.store.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.cost.ChargeScope;
import dev.tally.core.cost.ReportTable;
import dev.tally.store.TallyStore;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imports the FinOps Foundation's real FOCUS 1.0 sample and checks totals against a computation that does not use
 * DuckDB: the test's own CSV reader and BigDecimal sums.
 */
class FocusSampleImportTest {
  /**
   * The sample, kept in the repository (samples/focus/, with its CC BY 4.0 attribution in README.md) so that the
   * test runs on every clone and never skips.
   */
  static final Path SAMPLE = Path.of("../samples/focus/focus_sample.csv");

  @TempDir Path dir;

  private static Path sample() {
    Path p = SAMPLE.toAbsolutePath().normalize();
    assertThat(p).as("the FOCUS sample").isRegularFile();
    return p;
  }

  @Test
  void importsEveryRowAndTotalsMatchAnIndependentSum() throws Exception {
    Path file = sample();
    List<Map<String, String>> records = SimpleCsv.records(Files.readString(file, StandardCharsets.UTF_8));
    try (TallyStore store = TallyStore.open(dir, Clock.fixed(Instant.parse("2024-10-05T00:00:00Z"), ZoneOffset.UTC))) {
      CostStore cost = CostStore.on(store);
      ImportOutcome outcome = cost.importer().importFile("acme", file, CostFormat.FOCUS);
      assertThat(outcome.rows()).isEqualTo(records.size()).isEqualTo(1000);
      assertThat(outcome.focusVersion()).isEqualTo("1.0");
      // The sample writes "Usage-based" in 7 rows; they are stored as FOCUS's "Usage-Based".
      assertThat(outcome.normalised()).containsEntry("ChargeFrequency", 7L);

      for (String column : List.of("ProviderName", "ServiceCategory")) {
        Map<String, BigDecimal> expected = new TreeMap<>();
        for (Map<String, String> r : records) {
          expected.merge(r.get(column), new BigDecimal(r.get("BilledCost")), BigDecimal::add);
        }
        ReportTable t = cost.reports().totals(CostScope.of("acme").withCharges(ChargeScope.ALL),
            CostColumn.parse("--by", column), 100);
        Map<String, BigDecimal> actual = new TreeMap<>();
        for (Map<String, Object> row : t.records()) {
          String group = (String) row.get(column);
          if (!group.startsWith("(")) {
            actual.merge(group, (BigDecimal) row.get("cost"), BigDecimal::add);
          }
        }
        assertThat(actual).hasSameSizeAs(expected);
        expected.forEach((k, v) -> assertThat(actual.get(k)).as(column + " " + k).isEqualByComparingTo(v));
        BigDecimal grand = (BigDecimal) t.records().get(t.rows().size() - 1).get("cost");
        assertThat(grand).isEqualByComparingTo(expected.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add));
      }
    }
  }

  @Test
  void reimportingTheSameFileAddsNothing() {
    Path file = sample();
    try (TallyStore store = TallyStore.open(dir, Clock.systemUTC())) {
      CostStore cost = CostStore.on(store);
      ImportOutcome first = cost.importer().importFile("acme", file, CostFormat.FOCUS);
      ImportOutcome again = cost.importer().importFile("acme", file, CostFormat.FOCUS);
      assertThat(again.alreadyImported()).isTrue();
      assertThat(again.importId()).isEqualTo(first.importId());
      assertThat(again.rows()).isZero();
      BigDecimal total = store.read(c -> {
        try (var st = c.createStatement(); var rs = st.executeQuery("SELECT sum(\"BilledCost\"), count(*) FROM "
            + "cost_charges")) {
          rs.next();
          assertThat(rs.getLong(2)).isEqualTo(1000);
          return rs.getBigDecimal(1);
        }
      });
      assertThat(total).isEqualByComparingTo(first.billedTotal());
    }
  }
}
