package dev.tally.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A smoke run of the whole cost benchmark on a small bill, so that CI notices when a report, the generator or a
 * hand-written reference stops agreeing with Tally. It measures nothing: timings on 20,000 rows are fixed costs, and no
 * speed target lives in a unit test (BENCHMARKS.md holds the real figures).
 */
class CostBenchmarkTest {
  @TempDir Path dir;

  @Test
  void runsEndToEndAndTallyAgreesWithTheHandWrittenSql() throws Exception {
    CostBenchmark.Result r = CostBenchmark.run(new CostBenchmark.Options(20_000, 20, 20, 1, dir), false);

    // A disagreement throws, so reaching here means every figure compared was equal; make sure there were many.
    assertThat(r.checks()).isGreaterThan(200);
    assertThat(r.report())
        .contains("| import FOCUS CSV (20,000 rows")
        .contains("| totals --by ServiceName --top 10 (all charges) |")
        .contains("| totals --by tag:app --top 10 (all charges) |")
        .contains("| growth --by ServiceName, 2024-05 to 2024-06 |")
        .contains("| series --window day --zone Europe/Paris |")
        .contains("| series --window week --zone Europe/Paris |")
        .contains("| series --window month --zone Europe/Paris |")
        .contains("| peaks --window week --top 5 |")
        .contains("| explain 2024-05 to 2024-06 (5 default columns, top 5) |")
        .contains("| forecast --horizon month --as-of 2024-12-15 |")
        .contains("| detector alone: 20 series x 365 days")
        .contains("| report `anomalies --by SkuId` (20 series x 366 days")
        .contains("Checks passed: " + r.checks());
  }

  @Test
  void theGeneratedSeriesAreTheSameOnEveryCall() {
    assertThat(CostBenchmarkData.series(3, 30)).isEqualTo(CostBenchmarkData.series(3, 30));
    assertThat(CostBenchmarkData.focusQuery(1_000, 10)).isEqualTo(CostBenchmarkData.focusQuery(1_000, 10));
  }
}
