package dev.tally.store.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.store.TallyStore;
import dev.tally.store.cost.CostFormat;
import dev.tally.store.cost.CostImporter;
import dev.tally.store.cost.CostStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cost charges in the lake: appended per import; a re-delivered bill's removed charges recorded, not rewritten. */
class LakeExportCostTest {
  private static final String HEADER = "ProviderName,BillingAccountId,BillingPeriodStart,BillingPeriodEnd,BilledCost,"
      + "EffectiveCost,ListCost,BillingCurrency,ChargeCategory,ChargePeriodStart,ChargePeriodEnd,ServiceName\n";

  @TempDir Path dir;

  private static String row(int day, String cost) {
    String d = String.format("2024-09-%02dT00:00:00Z", day);
    String e = String.format("2024-09-%02dT00:00:00Z", day + 1);
    return String.join(",", "AWS", "A1", "2024-09-01T00:00:00Z", "2024-10-01T00:00:00Z", cost, cost, cost, "USD",
        "Usage", d, e, "Compute") + "\n";
  }

  private Path file(String name, String... rows) throws Exception {
    return Files.writeString(dir.resolve(name), HEADER + String.join("", rows), StandardCharsets.UTF_8);
  }

  @Test
  void aRestatedBillLeavesTheLakeSummingToTheStore() throws Exception {
    Path lake = dir.resolve("lake");
    LakeExport.Request all = new LakeExport.Request(lake, Optional.empty(), Optional.empty(), Optional.empty());
    try (TallyStore store = TallyStore.open(dir.resolve("data"), Clock.systemUTC())) {
      CostImporter importer = CostStore.on(store).importer();
      importer.importFile("t", file("sep-mtd.csv", row(1, "10"), row(2, "20")), CostFormat.FOCUS);
      ExportReport first = new LakeExport(store).export(all);
      assertThat(first.tenants().get("t")).containsEntry("cost_charges", 2L);

      importer.importFile("t", file("sep.csv", row(1, "10"), row(2, "21"), row(3, "19")), CostFormat.FOCUS, true);
      ExportReport second = new LakeExport(store).export(all);
      assertThat(second.tenants().get("t")).containsEntry("cost_charges", 3L).containsEntry("cost_deletions", 2L);
      assertThat(new LakeExport(store).export(all).rows()).isZero();
    }
    // Charges minus the recorded deletions: what the store holds (10 + 21 + 19), not the 80 appended.
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT sum(\"BilledCost\") FROM read_parquet('" + lake
            + "/cost_charges/**/*.parquet') ch WHERE NOT EXISTS (SELECT 1 FROM read_parquet('" + lake
            + "/cost_deletions/**/*.parquet') d WHERE d.import_id = ch.import_id AND d.source_row = ch.source_row)")) {
      rs.next();
      assertThat(rs.getBigDecimal(1)).isEqualByComparingTo("50");
    }
  }
}
