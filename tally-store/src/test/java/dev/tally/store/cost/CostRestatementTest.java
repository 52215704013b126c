package dev.tally.store.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.api.TallyException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Re-delivered bills: a restating import replaces the earlier charges of the same provider, billing account and
 * billing period, and nothing else.
 */
class CostRestatementTest extends CostTestBase {
  private static final String HEADER = "ProviderName,BillingAccountId,BillingPeriodStart,BillingPeriodEnd,BilledCost,"
      + "EffectiveCost,ListCost,BillingCurrency,ChargeCategory,ChargePeriodStart,ChargePeriodEnd,ServiceName\n";

  /** A charge row: provider, billing account, month (YYYY-MM), day of the month, cost. */
  private static String row(String provider, String account, String month, int day, String cost) {
    String start = month + "-01T00:00:00Z";
    String next = java.time.YearMonth.parse(month).plusMonths(1) + "-01T00:00:00Z";
    String d = String.format("%s-%02dT00:00:00Z", month, day);
    String e = String.format("%s-%02dT00:00:00Z", month, day + 1);
    return String.join(",", provider, account, start, next, cost, cost, cost, "USD", "Usage", d, e, "Compute") + "\n";
  }

  private Path file(String name, String... rows) throws Exception {
    return Files.writeString(dir.resolve(name), HEADER + String.join("", rows), StandardCharsets.UTF_8);
  }

  private BigDecimal billed(String where) {
    return store.read(c -> {
      try (var st = c.createStatement(); var rs = st.executeQuery(
          "SELECT coalesce(sum(\"BilledCost\"), 0) FROM cost_charges WHERE tenant = 't' AND " + where)) {
        rs.next();
        return rs.getBigDecimal(1);
      }
    });
  }

  @Test
  void aRedeliveredMonthReplacesItsEarlierChargesAndNothingElse() throws Exception {
    CostImporter importer = cost.importer();
    ImportOutcome august = importer.importFile("t", file("aug.csv", row("AWS", "A1", "2024-08", 30, "7")),
        CostFormat.FOCUS);
    ImportOutcome partial = importer.importFile("t", file("sep-mtd.csv", row("AWS", "A1", "2024-09", 1, "10"),
        row("AWS", "A1", "2024-09", 2, "20")), CostFormat.FOCUS);
    // Same period but another billing account, and another provider: not restated by an AWS A1 file.
    importer.importFile("t", file("other.csv", row("AWS", "A2", "2024-09", 1, "100"),
        row("Azure", "A1", "2024-09", 1, "1000")), CostFormat.FOCUS);

    ImportOutcome full = importer.importFile("t", file("sep.csv", row("AWS", "A1", "2024-09", 1, "10"),
        row("AWS", "A1", "2024-09", 2, "21"), row("AWS", "A1", "2024-09", 3, "19")), CostFormat.FOCUS, true);

    assertThat(full.replaced().rows()).isEqualTo(2);
    assertThat(full.replaced().billedTotal()).isEqualByComparingTo("30");
    assertThat(full.replaced().imports()).containsExactly(partial.importId());
    assertThat(billed("\"ProviderName\" = 'AWS' AND \"BillingAccountId\" = 'A1' AND month(\"BillingPeriodStart\") = 9"))
        .isEqualByComparingTo("50");
    assertThat(billed("import_id = " + august.importId())).isEqualByComparingTo("7");
    assertThat(billed("\"BillingAccountId\" = 'A2'")).isEqualByComparingTo("100");
    assertThat(billed("\"ProviderName\" = 'Azure'")).isEqualByComparingTo("1000");
    assertThat(billed("true")).isEqualByComparingTo("1157");
    // The trace of what was replaced, by which import.
    List<Long> trace = store.read(c -> {
      try (var st = c.createStatement(); var rs = st.executeQuery("SELECT import_id, replaced_import_id, row_count, "
          + "billed_total FROM cost_restatements WHERE tenant = 't'")) {
        rs.next();
        return List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getBigDecimal(4).longValueExact());
      }
    });
    assertThat(trace).containsExactly(full.importId(), partial.importId(), 2L, 30L);
  }

  @Test
  void withoutRestatingAnotherFileOfTheSamePeriodAdds() throws Exception {
    cost.importer().importFile("t", file("a.csv", row("AWS", "A1", "2024-09", 1, "10")), CostFormat.FOCUS);
    ImportOutcome b = cost.importer().importFile("t", file("b.csv", row("AWS", "A1", "2024-09", 2, "20")),
        CostFormat.FOCUS);
    assertThat(b.replaced()).isEqualTo(ImportOutcome.Replaced.NONE);
    assertThat(billed("true")).isEqualByComparingTo("30");
  }

  @Test
  void partsOfOneDeliveryDoNotReplaceEachOther() throws Exception {
    cost.importer().importFile("t", file("old.csv", row("AWS", "A1", "2024-10", 1, "5")), CostFormat.FOCUS);
    List<ImportOutcome> parts = cost.importer().importFiles("t", List.of(
        file("part-1.csv", row("AWS", "A1", "2024-10", 1, "6")),
        file("part-2.csv", row("AWS", "A1", "2024-10", 2, "8"))), CostFormat.FOCUS, true, o -> { });
    assertThat(parts.get(0).replaced().rows()).isEqualTo(1);
    assertThat(parts.get(1).replaced().rows()).isZero();
    assertThat(billed("true")).isEqualByComparingTo("14");
  }

  @Test
  void aRowWithoutBillingPeriodIsRefusedAndNothingChanges() throws Exception {
    cost.importer().importFile("t", file("old.csv", row("AWS", "A1", "2024-10", 1, "5")), CostFormat.FOCUS);
    Path bad = file("bad.csv", row("AWS", "A1", "2024-10", 1, "6"),
        row("AWS", "A1", "2024-10", 2, "8").replace(",2024-10-01T00:00:00Z,2024-11-01T00:00:00Z,", ",,,"));
    assertThatThrownBy(() -> cost.importer().importFile("t", bad, CostFormat.FOCUS, true))
        .isInstanceOfSatisfying(TallyException.class, e -> {
          assertThat(e.getMessage()).contains("bad.csv").contains("BillingPeriodStart").contains("nothing was imported");
          assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.describe()).contains("line 3"));
        });
    assertThat(billed("true")).isEqualByComparingTo("5");
    // Not recorded as imported either: the corrected file can be imported later.
    long imports = store.read(c -> {
      try (var st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM cost_imports")) {
        rs.next();
        return rs.getLong(1);
      }
    });
    assertThat(imports).isEqualTo(1);
  }
}
