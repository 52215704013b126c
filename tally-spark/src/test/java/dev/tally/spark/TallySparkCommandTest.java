package dev.tally.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.cost.CostPeriod;
import dev.tally.core.format.UsageFormats;
import dev.tally.store.TallyStore;
import dev.tally.store.cost.CostColumn;
import dev.tally.store.cost.CostScope;
import dev.tally.store.cost.CostStore;
import dev.tally.store.export.LakeExport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tally-spark report} as a user runs it, over the FOCUS sample exported to a lake: it prints what
 * {@code tally report} prints for the same store, and refuses bad flags in the same words with exit code 1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TallySparkCommandTest {
  @TempDir static Path dir;
  TallyStore store;

  @BeforeAll
  void load() {
    SharedSpark.get();
    store = TallyStore.open(dir.resolve("store"), Clock.systemUTC());
    CostStore.on(store).importer().importFile("t", Path.of("../samples/focus/focus_sample.csv"),
        dev.tally.store.cost.CostFormat.FOCUS);
    new LakeExport(store).export(new LakeExport.Request(dir.resolve("lake"), Optional.of("t"), Optional.empty(),
        Optional.empty()));
  }

  @AfterAll
  void close() {
    store.close();
  }

  record Run(int code, String out, String err) {}

  private Run run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--input", dir.resolve("lake").toString(), "--tenant", "t", "--master", "local[2]"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = TallySpark.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void reportsPrintWhatTheStorePrints() {
    var reports = CostStore.on(store).reports();
    CostScope all = CostScope.of("t").withCharges(dev.tally.core.cost.ChargeScope.ALL);
    Run totals = run("report", "totals", "--by", "ServiceCategory", "--format", "json");
    assertThat(totals.code()).as(totals.err()).isZero();
    assertThat(totals.out()).isEqualTo(reports.totals(all, CostColumn.parse("--by", "ServiceCategory"), 10)
        .render(UsageFormats.Format.JSON));

    Run growth = run("report", "growth", "--by", "ProviderName", "--base", "2024-05", "--compare", "2024-06",
        "--zone", "Europe/Berlin");
    assertThat(growth.code()).as(growth.err()).isZero();
    assertThat(growth.out()).isEqualTo(reports.growth(CostScope.of("t").withZone(ZoneId.of("Europe/Berlin")),
        CostColumn.parse("--by", "ProviderName"), CostPeriod.parse("--base", "2024-05"),
        CostPeriod.parse("--compare", "2024-06")).render(UsageFormats.Format.TABLE));

    Run peaks = run("report", "peaks", "--window", "week", "--format", "csv", "--cost", "effective");
    assertThat(peaks.code()).as(peaks.err()).isZero();
    assertThat(peaks.out()).isEqualTo(reports.peaks(CostScope.of("t").withMetric(
        dev.tally.core.cost.CostMetric.EFFECTIVE), "week", 3).render(UsageFormats.Format.CSV));
    assertThat(peaks.out().lines().count()).isGreaterThan(2);

    // A tenant without cost data in the lake: the same empty report as the store's, not an error.
    List<String> none = new ArrayList<>(List.of("report", "totals", "--by", "ServiceName", "--format", "json",
        "--input", dir.resolve("lake").toString(), "--tenant", "nobody", "--master", "local[2]"));
    StringWriter out = new StringWriter();
    CommandLine cl = TallySpark.commandLine();
    cl.setOut(new PrintWriter(out));
    assertThat(cl.execute(none.toArray(String[]::new))).isZero();
    assertThat(out.toString()).isEqualTo(reports.totals(CostScope.of("nobody").withCharges(
        dev.tally.core.cost.ChargeScope.ALL), CostColumn.parse("--by", "ServiceName"), 10)
        .render(UsageFormats.Format.JSON));
  }

  @Test
  void badFlagsAreRefusedNamingTheFlag() {
    Run column = run("report", "totals", "--by", "Servicename2");
    assertThat(column.code()).isEqualTo(1);
    assertThat(column.err()).contains("--by", "is not a FOCUS column or tag:KEY");
    Run window = run("report", "series", "--window", "fortnight");
    assertThat(window.code()).isEqualTo(1);
    assertThat(window.err()).contains("--window", "must be day, week or month");
    Run zone = run("report", "series", "--window", "day", "--zone", "Mars/Olympus");
    assertThat(zone.code()).isEqualTo(1);
    assertThat(zone.err()).contains("--zone");
    // The report tables name this problem "top"; the launcher prints the flag, through tally's table (Flags).
    Run top = run("report", "totals", "--by", "ServiceName", "--top", "0");
    assertThat(top.code()).isEqualTo(1);
    assertThat(top.err()).contains("--top: must be at least 1");
    Run missing = run("report", "growth", "--by", "ServiceName");
    assertThat(missing.code()).isEqualTo(2);
  }

  @Test
  void aBillRestatedAfterAnExportIsAnsweredAsTheStoreHasItNow() throws Exception {
    String header = "ProviderName,BillingAccountId,BillingPeriodStart,BillingPeriodEnd,BilledCost,EffectiveCost,"
        + "ListCost,BillingCurrency,ChargeCategory,ChargePeriodStart,ChargePeriodEnd,ServiceName\n";
    String period = "AWS,A1,2024-09-01,2024-10-01,";
    Path monthToDate = java.nio.file.Files.writeString(dir.resolve("sep-mtd.csv"), header
        + period + "10,10,10,USD,Usage,2024-09-01,2024-09-02,EC2\n"
        + period + "7,7,7,USD,Usage,2024-09-01,2024-09-02,S3\n");
    Path month = java.nio.file.Files.writeString(dir.resolve("sep.csv"), header
        + period + "10,10,10,USD,Usage,2024-09-01,2024-09-02,EC2\n"
        + period + "25,25,25,USD,Usage,2024-09-02,2024-09-03,EC2\n");
    var importer = CostStore.on(store).importer();
    LakeExport.Request request = new LakeExport.Request(dir.resolve("lake"), Optional.of("r"), Optional.empty(),
        Optional.empty());
    importer.importFile("r", monthToDate, dev.tally.store.cost.CostFormat.FOCUS);
    new LakeExport(store).export(request);
    importer.importFile("r", month, dev.tally.store.cost.CostFormat.FOCUS, true);
    new LakeExport(store).export(request);
    String expected = CostStore.on(store).reports().totals(CostScope.of("r").withCharges(
        dev.tally.core.cost.ChargeScope.ALL), CostColumn.parse("--by", "ServiceName"), 10)
        .render(UsageFormats.Format.JSON);
    assertThat(expected).contains("\"cost\" : 35").doesNotContain("S3");
    List<String> args = new ArrayList<>(List.of("report", "totals", "--by", "ServiceName", "--format", "json",
        "--input", dir.resolve("lake").toString(), "--tenant", "r", "--master", "local[2]"));
    StringWriter out = new StringWriter();
    CommandLine cl = TallySpark.commandLine();
    cl.setOut(new PrintWriter(out));
    assertThat(cl.execute(args.toArray(String[]::new))).isZero();
    assertThat(out.toString()).isEqualTo(expected);
  }
}
