package dev.tally.cli.cost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.tally.cli.CliRun;
import dev.tally.cli.CliRun.Run;
import dev.tally.core.json.Json;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cost commands in-process: the documented flags, output formats and exit codes. */
class CostCliTest {
  static final String HEADER = "BilledCost,EffectiveCost,ListCost,BillingCurrency,ChargeCategory,ChargePeriodStart,"
      + "ChargePeriodEnd,ServiceName,SubAccountId\n";

  @TempDir Path dir;

  private Run run(String... args) {
    return new CliRun.Tenant(dir, "acme").run(args);
  }

  /** June: EC2 60 + S3 40; July: EC2 90 + S3 30 + a purchase of 500. */
  private Path bill() throws Exception {
    return Files.writeString(dir.resolve("bill.csv"), HEADER
        + "60,60,60,USD,Usage,2024-06-10,2024-06-11,EC2,a\n"
        + "40,40,40,USD,Usage,2024-06-11,2024-06-12,S3,a\n"
        + "90,90,90,USD,Usage,2024-07-10,2024-07-11,EC2,a\n"
        + "30,30,30,USD,Usage,2024-07-11,2024-07-12,S3,b\n"
        + "500,500,500,USD,Purchase,2024-07-01,2024-08-01,Consulting,a\n");
  }

  @Test
  void replaceRestatesABillingPeriodAndIsRefusedWhereItCannotApply() throws Exception {
    String header = "ProviderName,BillingAccountId,BillingPeriodStart,BillingPeriodEnd,BilledCost,EffectiveCost,"
        + "ListCost,BillingCurrency,ChargeCategory,ChargePeriodStart,ChargePeriodEnd,ServiceName\n";
    String period = "AWS,A1,2024-09-01,2024-10-01,";
    Path monthToDate = Files.writeString(dir.resolve("sep-mtd.csv"), header
        + period + "10,10,10,USD,Usage,2024-09-01,2024-09-02,EC2\n");
    Path month = Files.writeString(dir.resolve("sep.csv"), header
        + period + "10,10,10,USD,Usage,2024-09-01,2024-09-02,EC2\n"
        + period + "25,25,25,USD,Usage,2024-09-02,2024-09-03,EC2\n");
    assertThat(run("import", "--format", "focus", monthToDate.toString()).code()).isZero();
    Run restated = run("import", "--format", "focus", "--replace", month.toString());
    assertThat(restated.code()).as(restated.err()).isZero();
    assertThat(restated.out()).contains("imported 2 charges",
        "replaced 1 earlier charges of the same billing periods (BilledCost 10, import 1)");
    JsonNode totals = Json.json().readTree(run("report", "totals", "--by", "ServiceName", "--format", "json").out());
    assertThat(totals.get("rows").get(0).get("cost").decimalValue()).isEqualByComparingTo("35");

    // A bill without billing periods cannot say what it restates: refused, nothing stored.
    Run noPeriod = run("cost", "import", "--replace", bill().toString());
    assertThat(noPeriod.code()).isEqualTo(1);
    assertThat(noPeriod.err()).contains("BillingPeriodStart", "line 2", "nothing was imported");
    // Events are never replaced.
    Run events = run("import", "--replace", monthToDate.toString());
    assertThat(events.code()).isEqualTo(1);
    assertThat(events.err()).contains("--replace", "cost data");
  }

  @Test
  void translatedHeadersImportWithColumnAndTheSampleInGermanImportsAsItIs() throws Exception {
    // The German sample's headers end in the schema's name in parentheses: found without any option.
    Run german = run("cost", "import", "--format", "azure", "../samples/azure/usage-details-de.csv");
    assertThat(german.code()).as(german.err()).isZero();
    assertThat(german.out()).contains("imported 3 charges (azure, mapped to FOCUS), BilledCost total 1.7556");

    Path renamed = Files.writeString(dir.resolve("kosten.csv"), "Abonnement,Datum,Kategorie,Kosten,Currency\n"
        + "sub-1,2024-09-01,Storage,0.25,EUR\n");
    Run unknown = run("import", "--format", "azure", renamed.toString());
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("kosten.csv: cannot be imported as an Azure cost export");
    Run missing = run("cost", "import", "--format", "azure", "--column", "Preis=PreTaxCost", renamed.toString());
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("the file has no column 'Preis' to read as PreTaxCost; its columns are "
        + "Abonnement, Datum, Kategorie, Kosten, Currency");
    Run events = run("import", "--column", "Kosten=PreTaxCost", renamed.toString());
    assertThat(events.code()).isEqualTo(1);
    assertThat(events.err()).contains("--column", "applies to cost data");
    assertThat(run("cost", "import", "--format", "azure", "--column", "Kosten", renamed.toString()).code())
        .isEqualTo(2);

    Run ok = run("import", "--format", "azure", "--column", "Abonnement=SubscriptionGuid", "--column",
        "Datum=UsageDateTime", "--column", "Kategorie=MeterCategory", "--column", "Kosten=PreTaxCost",
        renamed.toString());
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("kosten.csv: imported 1 charges", "BilledCost total 0.25");
    JsonNode totals = Json.json().readTree(run("report", "totals", "--by", "ServiceName", "--format", "json").out());
    assertThat(totals.get("rows")).extracting(r -> r.get("ServiceName").asText() + " " + r.get("cost").decimalValue()
        .stripTrailingZeros().toPlainString()).containsExactlyInAnyOrder("Virtual Machines 1.6416", "Storage 0.364", "(total) 2.0056",
        "(grand total) 2.0056");
  }

  @Test
  void importErrorsSayTheirHeadlineOnceAndNameTheLine() throws Exception {
    Run missing = run("cost", "import", dir.resolve("nowhere.csv").toString());
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err().lines().filter(l -> l.contains("is not a readable file")).count()).isEqualTo(1);
    Run top = run("report", "totals", "--by", "ServiceName", "--top", "0");
    assertThat(top.err()).isEqualTo("error: --top: must be at least 1 (given \"0\")\n");
    Path ragged = Files.writeString(dir.resolve("ragged.csv"), HEADER + "1,1,1,USD,Usage,2024-06-10,2024-06-11,EC2\n");
    Run r = run("cost", "import", ragged.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: " + ragged + ": 1 line does not fit the header's 9 columns (every one "
        + "lacks the header's last column, SubAccountId); nothing was imported from this file\n")
        .contains("  line 2: row: has 8 fields where the header (line 1) has 9");
  }

  @Test
  void importThenReportInEachFormat() throws Exception {
    Run imported = run("cost", "import", bill().toString());
    assertThat(imported.code()).as(imported.err()).isZero();
    assertThat(imported.out()).contains("imported 5 charges", "0 rejected");
    assertThat(run("cost", "import", bill().toString()).out()).contains("already imported");

    Run json = run("report", "totals", "--by", "ServiceName", "--format", "json");
    JsonNode root = Json.json().readTree(json.out());
    assertThat(root.get("currency").asText()).isEqualTo("USD");
    JsonNode first = root.get("rows").get(0);
    assertThat(first.get("ServiceName").asText()).isEqualTo("EC2");
    assertThat(first.get("cost").decimalValue()).isEqualByComparingTo("150");
    assertThat(first.get("share_percent").decimalValue()).isEqualByComparingTo("68.18");

    Run csv = run("report", "growth", "--by", "ServiceName", "--base", "2024-06", "--compare", "2024-07",
        "--format", "csv");
    assertThat(csv.out()).startsWith("ServiceName,base,compare,change,change_percent,status\r\n")
        .contains("EC2,60,90,30,50.00,UP\r\n").contains("(total),100,120,20,20.00,UP\r\n");

    Run table = run("report", "series", "--window", "month");
    assertThat(table.out()).contains("2024-06-01", "2024-07-01", "money in USD");

    Run explain = run("report", "explain", "--base", "2024-06", "--compare", "2024-07", "--by", "SubAccountId",
        "--format", "json");
    JsonNode rows = Json.json().readTree(explain.out()).get("rows");
    BigDecimal sum = BigDecimal.ZERO;
    for (JsonNode r : rows) {
      if (r.get("dimension").asText().equals("SubAccountId")) {
        sum = sum.add(r.get("change").decimalValue());
      }
    }
    assertThat(sum).isEqualByComparingTo("20");
  }

  @Test
  void badInputExitsOneAndNamesTheFlagUsageErrorsExitTwo() throws Exception {
    run("cost", "import", bill().toString());
    Run badPeriod = run("report", "growth", "--by", "ServiceName", "--base", "June", "--compare", "2024-07");
    assertThat(badPeriod.code()).isEqualTo(1);
    assertThat(badPeriod.err()).contains("--base", "June");
    Run badColumn = run("report", "totals", "--by", "Nope");
    assertThat(badColumn.code()).isEqualTo(1);
    assertThat(badColumn.err()).contains("--by", "Nope");
    assertThat(run("report", "totals").code()).isEqualTo(2);
    Run days = run("report", "growth", "--by", "ServiceName", "--base", "2024-06", "--compare", "2024-07", "--from",
        "2024-06-01");
    assertThat(days.code()).isEqualTo(1);
    assertThat(days.err()).contains("--from", "do not apply");
    assertThat(run("report", "peaks", "--window", "day", "--bogus").code()).isEqualTo(2);
    Run forecast = run("report", "forecast", "--horizon", "month", "--as-of", "2024-06-15");
    assertThat(forecast.code()).isEqualTo(1);
    assertThat(forecast.err()).contains("at least 14 days");
    Path bad = Files.writeString(dir.resolve("bad.csv"), HEADER + "x,1,1,USD,Usage,2024-06-10,2024-06-11,EC2,a\n");
    Run rejected = run("cost", "import", bad.toString());
    assertThat(rejected.code()).isEqualTo(1);
    assertThat(rejected.err()).contains("line 2: BilledCost");
  }

  @Test
  void budgetsAndAlertsReachAWebhook() throws Exception {
    run("cost", "import", bill().toString());
    AtomicInteger posts = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/h", ex -> {
      ex.getRequestBody().readAllBytes();
      posts.incrementAndGet();
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.start();
    try {
      assertThat(run("budget", "create", "july", "--amount", "1000", "--period", "monthly", "--threshold", "50",
          "--threshold", "90").code()).isZero();
      assertThat(run("budget", "create", "july", "--amount", "5").code()).isEqualTo(1);
      Run list = run("budget", "list", "--as-of", "2024-07-20", "--format", "json");
      JsonNode b = Json.json().readTree(list.out()).get("rows").get(0);
      // July before the 20th: 90 + 30 of usage and the 500 purchase.
      assertThat(b.get("spent").decimalValue()).isEqualByComparingTo("620");
      assertThat(b.get("crossed").asText()).isEqualTo("50%");
      assertThat(run("alerts", "webhook", "--url", "http://127.0.0.1:" + server.getAddress().getPort() + "/h",
          "--secret", "a-very-long-secret").code()).isZero();
      Run check = run("alerts", "check", "--as-of", "2024-07-20");
      assertThat(check.code()).as(check.err()).isZero();
      assertThat(check.out()).contains("1 new alert(s)", "budget july 2024-07", "delivered 1 of 1");
      assertThat(run("alerts", "check", "--as-of", "2024-07-20").out()).contains("0 new alert(s)");
      assertThat(posts.get()).isEqualTo(1);
      Run alerts = run("alerts", "--format", "csv");
      assertThat(alerts.out()).contains("budget:july:2024-07:actual:50", "delivered");
    } finally {
      server.stop(0);
    }
  }
}
