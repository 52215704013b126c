package dev.tally.console;

import static dev.tally.console.ConsoleFixture.enc;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Every view of the console in real Chromium, over a real server and the demo tenant: what a person would check, each
 * figure compared with what the API answers for the same parameters. Screenshots go to target/console-screenshots.
 */
class ConsoleViewsTest extends BrowserTestBase {
  @BeforeEach
  void signedIn() {
    Object key = b.d.getCurrentUrl().startsWith(f.base()) ? b.js("return sessionStorage.getItem('tally.credential');")
        : null;
    if (!f.demoKey.equals(key)) {
      b.signIn(f.demoKey);
    }
  }

  /** Every request the page made in the test went to a route of the API document (the page calls nothing else). */
  @org.junit.jupiter.api.AfterEach
  void onlyDocumentedRoutes() throws Exception {
    java.util.Set<java.util.regex.Pattern> documented = ConsoleRoutesTest.documentedPaths();
    List<?> made = (List<?>) b.js("return (window.tallyRequests || []).map(r => r.path);");
    for (Object p : made) {
      assertThat(documented.stream().anyMatch(d -> d.matcher(p.toString()).matches())).as("%s is documented", p)
          .isTrue();
    }
  }

  static String usd(Object v) {
    return NumberFormat.getCurrencyInstance(Locale.US).format(new BigDecimal(v.toString()));
  }

  @Test
  void signInRefusesABadKeyInWordsAndKeepsAGoodOneOutOfTheAddress() {
    b.js("sessionStorage.clear();");
    b.d.get(f.base() + "/");
    b.waitFor("sign-in");
    b.screenshot("sign-in");
    b.one("#api-key").sendKeys("tly_notakey_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    b.one("#sign-in button[type=submit]").click();
    new WebDriverWait(b.d, Duration.ofSeconds(10)).until(x -> !b.all("#sign-in-status .error").isEmpty());
    assertThat(b.text("#sign-in-status")).contains("a valid API key is required").contains("refused");
    assertThat(b.js("return sessionStorage.getItem('tally.credential');")).isNull();
    b.signIn(f.demoKey);
    assertThat(b.view()).isEqualTo("overview");
    assertThat(b.d.getCurrentUrl()).doesNotContain(f.demoKey);
    assertThat(b.js("return JSON.stringify(localStorage) + document.cookie;")).isEqualTo("{}");
    assertThat(b.js("return sessionStorage.getItem('tally.credential');")).isEqualTo(f.demoKey);
    b.assertNoPolicyViolations();
  }

  @Test
  void overviewComparesThisMonthWithLastAndListsTheRunawayGpuDay() {
    b.open("#/overview?asOf=2024-11-21");
    assertThat(b.text("h1")).isEqualTo("Overview · November 2024");
    JsonNode growth = f.api("/api/v1/reports/growth?by=ServiceName&base=2024-10-01..2024-10-21"
        + "&compare=2024-11-01..2024-11-21", f.demoKey);
    for (JsonNode row : growth.get("rows")) {
      String service = row.get("ServiceName").asText();
      if (!service.startsWith("(")) {
        WebElement tr = rowContaining("#cost-per-service", service);
        assertThat(tr.getText()).contains(usd(row.get("compare").decimalValue()));
      }
    }
    assertThat(b.all("table.data tr[data-meter]")).hasSize(f.api("/api/v1/meters", f.demoKey).size());
    JsonNode tokens = f.api("/api/v1/meters/ai_tokens/query?from=2024-11-01&to=2024-11-21", f.demoKey);
    assertThat(b.one("tr[data-meter=ai_tokens]").getText())
        .contains(NumberFormat.getIntegerInstance(Locale.US).format(tokens.get("data").get(0).get("value").asLong()));
    assertThat(b.text("#open-anomalies")).contains("2024-11-14").contains("eu-west-1");
    assertThat(b.all("#movers li")).isNotEmpty();
    assertThat(b.text("#movers")).contains("gpu/a100-train-eu");
    b.screenshot("overview");
    b.assertNoPolicyViolations();
  }

  @Test
  void overviewWithoutADayAnchorsOnTheLatestMonthWithData() {
    b.open("#/overview");
    assertThat(b.text("h1")).isEqualTo("Overview · December 2024");
    assertThat(b.text("#anchor-note")).contains("2024-12-31");
  }

  @Test
  void usageExplorerDrawsOneSeriesPerModelWithTheApisFigures() throws Exception {
    String q = "meter=ai_tokens&from=2024-11-01&to=2024-12-01&window=DAY&tz=" + enc("Europe/Paris") + "&groupBy=model";
    b.open("#/usage?" + q);
    JsonNode api = f.api("/api/v1/meters/ai_tokens/query?from=2024-11-01&to=2024-12-01&windowSize=DAY"
        + "&windowTimeZone=Europe/Paris&groupBy=model", f.demoKey);
    Map<String, BigDecimal> expected = new LinkedHashMap<>();
    for (JsonNode r : api.get("data")) {
      expected.merge(r.get("groupBy").get("model").asText(), r.get("value").decimalValue(), BigDecimal::add);
    }
    assertThat(b.one("#usage-chart").getDomAttribute("data-series")).isEqualTo(String.valueOf(expected.size()));
    assertThat(b.all("#usage-chart canvas")).hasSize(1);
    List<String> headers = b.all(".card table.data thead th").stream().map(WebElement::getText).toList();
    // A day in Paris: 30 windows of November.
    assertThat(b.all(".card table.data tbody tr[data-window]")).hasSize(30);
    for (Map.Entry<String, BigDecimal> e : expected.entrySet()) {
      int col = headers.indexOf(e.getKey());
      assertThat(col).as("column for %s in %s", e.getKey(), headers).isPositive();
      BigDecimal sum = BigDecimal.ZERO;
      for (WebElement tr : b.all(".card table.data tbody tr[data-window]")) {
        sum = sum.add(Browser.number(tr.findElements(org.openqa.selenium.By.tagName("td")).get(col).getText()));
      }
      assertThat(sum).as(e.getKey()).isEqualByComparingTo(e.getValue());
    }
    // The legend names the series; hovering shows a tooltip with the day and the values.
    assertThat(b.text("#usage-chart .u-legend")).contains(expected.keySet());
    new Actions(b.d).moveToElement(b.one("#usage-chart .u-over")).perform();
    new WebDriverWait(b.d, Duration.ofSeconds(5)).until(x -> b.one("#usage-chart .tip").isDisplayed());
    assertThat(b.text("#usage-chart .tip")).contains("2024-11");
    b.screenshot("usage");
    // The CSV download is the API's CSV for the same query.
    try (Stream<Path> old = Files.list(f.downloads)) {
      old.forEach(p -> p.toFile().delete());
    }
    b.one("#download-csv").click();
    Path csv = f.downloads.resolve("ai_tokens_2024-11-01_2024-12-01_day.csv");
    new WebDriverWait(b.d, Duration.ofSeconds(15)).until(x -> Files.exists(csv));
    assertThat(Files.readString(csv).lines().count()).isEqualTo(api.get("data").size() + 1L);
    // Lines instead of areas: the address says so, and can be shared.
    b.stale();
    new org.openqa.selenium.support.ui.Select(b.one("#f-chart")).selectByValue("lines");
    b.one("#usage-form button[type=submit]").click();
    b.waitForNext("usage");
    assertThat(b.hash()).contains("chart=lines").contains("groupBy=model");
    b.assertNoPolicyViolations();
  }

  @Test
  void costAnalysisDrillsFromServicesIntoResourcesAndBack() {
    b.open("#/cost?from=2024-11-01&to=2024-12-01&by=ServiceName");
    JsonNode totals = f.api("/api/v1/reports/totals?by=ServiceName&from=2024-11-01&to=2024-12-01&charges=usage",
        f.demoKey);
    List<JsonNode> services = new ArrayList<>();
    totals.get("rows").forEach(r -> {
      if (!r.get("ServiceName").asText().startsWith("(")) {
        services.add(r);
      }
    });
    assertThat(b.all("#breakdown .bar-row")).hasSize(services.size());
    for (JsonNode s : services) {
      WebElement bar = b.one("#breakdown .bar-row[data-value='" + s.get("ServiceName").asText() + "']");
      assertThat(bar.getText()).contains(usd(s.get("cost").decimalValue()));
    }
    assertThat(b.all("#cost-chart canvas")).hasSize(1);
    assertThat(b.text("body")).contains("Professional Services").contains("List against effective cost");
    b.screenshot("cost");

    b.stale();
    b.one("#breakdown .bar-row[data-value='GPU Compute']").click();
    b.waitForNext("cost");
    assertThat(b.hash()).contains("filter=ServiceName%3DGPU+Compute").contains("by=ResourceId");
    assertThat(b.text("#breadcrumb")).contains("ServiceName = GPU Compute").contains("by ResourceId");
    JsonNode gpu = f.api("/api/v1/reports/totals?by=ResourceId&from=2024-11-01&to=2024-12-01&charges=usage&filter="
        + enc("ServiceName=GPU Compute"), f.demoKey);
    List<String> resources = new ArrayList<>();
    gpu.get("rows").forEach(r -> {
      if (!r.get("ResourceId").asText().startsWith("(")) {
        resources.add(r.get("ResourceId").asText());
      }
    });
    assertThat(b.all("#breakdown .bar-row").stream().map(e -> e.getDomAttribute("data-value")).toList())
        .containsExactlyElementsOf(resources).contains("gpu/a100-train-eu");
    BigDecimal gpuTotal = services.stream().filter(s -> s.get("ServiceName").asText().equals("GPU Compute"))
        .findFirst().orElseThrow().get("cost").decimalValue();
    assertThat(b.text("#breakdown-total")).isEqualTo(usd(gpuTotal));
    b.screenshot("cost-drilldown");

    // A click on the chart drills too: the area under the pointer becomes a filter.
    b.stale();
    new Actions(b.d).moveToElement(b.one("#cost-chart .u-over"), 0, 60).click().perform();
    b.waitForNext("cost");
    assertThat(b.hash()).contains("filter=ResourceId%3D");
    // The breadcrumb goes back to all costs.
    b.stale();
    b.one("#breadcrumb a").click();
    b.waitForNext("cost");
    assertThat(b.hash()).doesNotContain("filter=");
    assertThat(b.all("#breakdown .bar-row")).hasSize(services.size());
    b.assertNoPolicyViolations();
  }

  @Test
  void costGrowthShowsStorageUpByTheDemosKnownFactor() {
    b.open("#/cost?from=2024-01-01&to=2024-11-01&by=ServiceName&base=2024-01&compare=2024-10&window=month");
    WebElement storage = rowContaining("table.data", "Object Storage");
    assertThat(storage.getText()).contains("+155.0 %");
  }

  @Test
  void anomaliesListTheRunawayGpuDayWithItsRootCausesAndItsBand() {
    b.open("#/anomalies?from=2024-11-01&to=2024-12-01");
    JsonNode api = f.api("/api/v1/reports/anomalies?from=2024-11-01&to=2024-12-01", f.demoKey).get("rows");
    assertThat(b.all("tr[data-day]")).hasSize(api.size());
    WebElement row = b.one("tr[data-day='2024-11-14']");
    assertThat(row.getText()).contains(usd(api.get(0).get("impact").decimalValue().setScale(2,
        java.math.RoundingMode.HALF_UP))).contains("eu-west-1").contains("GPU Compute").contains("gpu/a100-train-eu");
    b.stale();
    row.click();
    b.waitForNext("anomalies");
    assertThat(b.hash()).contains("day=2024-11-14");
    assertThat(b.all("#anomaly-chart canvas")).hasSize(1);
    assertThat(b.text("#anomaly-chart .u-legend")).contains("expected").contains("actual");
    assertThat(b.text("#anomaly-facts")).contains(usd(api.get(0).get("actual").decimalValue()));
    b.screenshot("anomalies");
    b.assertNoPolicyViolations();
  }

  @Test
  void forecastShowsThePeriodTotalsAndTheDailyBand() {
    b.open("#/forecast?asOf=2024-11-20&horizon=quarter");
    JsonNode month = f.api("/api/v1/reports/forecast?horizon=month&asOf=2024-11-20", f.demoKey).get("rows").get(0);
    JsonNode quarter = f.api("/api/v1/reports/forecast?horizon=quarter&asOf=2024-11-20", f.demoKey).get("rows")
        .get(0);
    assertThat(b.text(".big[data-period='2024-11']")).isEqualTo(usd(month.get("forecast_total").decimalValue()
        .setScale(2, java.math.RoundingMode.HALF_EVEN)));
    assertThat(b.text(".big[data-period='2024-Q4']")).isEqualTo(usd(quarter.get("forecast_total").decimalValue()
        .setScale(2, java.math.RoundingMode.HALF_EVEN)));
    assertThat(b.all("#forecast-chart canvas")).hasSize(1);
    assertThat(b.text("#forecast-chart .u-legend")).contains("forecast").contains("upper 80%");
    b.screenshot("forecast");
  }

  @Test
  void invoicesListAndAnInvoicesExplanationSumsToItsTotal() {
    b.open("#/invoices?period=2024-11");
    JsonNode list = f.api("/api/v1/invoices?period=2024-11", f.demoKey);
    assertThat(b.all("tr[data-invoice]")).hasSize(list.size());
    b.screenshot("invoices");
    JsonNode first = list.get(0);
    b.stale();
    b.one("tr[data-invoice='" + first.get("invoice").asText() + "']").click();
    b.waitForNext("invoice");
    JsonNode explained = f.api("/api/v1/invoices/" + first.get("invoice").asText() + "/explain", f.demoKey);
    BigDecimal sum = BigDecimal.ZERO;
    for (WebElement tr : b.all("tr[data-line]")) {
      sum = sum.add(new BigDecimal(tr.getDomAttribute("data-amount")));
    }
    assertThat(b.all("tr[data-line]")).hasSize(explained.get("lines").size());
    assertThat(sum).isEqualByComparingTo(explained.get("totals").get("total").decimalValue());
    assertThat(b.text("#invoice-total")).isEqualTo(usd(explained.get("totals").get("total").decimalValue()));
    assertThat(b.one("#lines-check").getDomAttribute("class")).isEqualTo("ok");
    // A usage line: its rule, arithmetic and the events behind it.
    JsonNode usageLine = null;
    for (JsonNode l : explained.get("lines")) {
      if (l.get("kind").asText().equals("usage") && l.get("quantity").decimalValue().signum() > 0) {
        usageLine = l;
        break;
      }
    }
    assertThat(usageLine).isNotNull();
    b.stale();
    b.one("tr[data-line='" + usageLine.get("number").asInt() + "']").click();
    b.waitForNext("invoice");
    assertThat(b.text("#arithmetic")).isEqualTo(usageLine.get("explanation").get("arithmetic").asText());
    assertThat(b.text("#explanation")).contains(usageLine.get("explanation").get("source").get("meter").asText());
    assertThat(b.all("tr[data-event]")).isNotEmpty();
    b.screenshot("invoice");
    b.assertNoPolicyViolations();
  }

  @Test
  void budgetsAreCreatedWithTheirUseAndDeleted() {
    b.open("#/budgets?asOf=2024-11-20");
    b.one("#budget-form [name=name]").sendKeys("console-gpu");
    b.one("#budget-form [name=amount]").sendKeys("six thousand");
    b.one("#budget-form button[type=submit]").click();
    new WebDriverWait(b.d, Duration.ofSeconds(10)).until(x -> !b.all("#budget-status .error").isEmpty());
    assertThat(b.text("#budget-status")).contains("amount");
    b.one("#budget-form [name=amount]").clear();
    b.one("#budget-form [name=amount]").sendKeys("6000");
    b.one("#budget-form [name=filters]").sendKeys("ServiceName=GPU Compute");
    b.stale();
    b.one("#budget-form button[type=submit]").click();
    b.waitForNext("budgets");
    JsonNode status = f.api("/api/v1/budgets?asOf=2024-11-20", f.demoKey).get("rows");
    JsonNode mine = null;
    for (JsonNode r : status) {
      if (r.get("budget").asText().equals("console-gpu")) {
        mine = r;
      }
    }
    assertThat(mine).isNotNull();
    assertThat(b.one("tr[data-budget='console-gpu']").getText()).contains(usd(mine.get("spent").decimalValue()))
        .contains("100% of forecast");
    JsonNode alerts = f.api("/api/v1/alerts", f.demoKey).get("rows");
    assertThat(alerts.size()).isPositive();
    assertThat(b.all("tr[data-alert]")).hasSize(alerts.size());
    assertThat(b.text("body")).contains("fixture-gpu").contains("pending");
    b.screenshot("budgets");
    WebElement delete = b.one("button[data-budget='console-gpu']");
    delete.click();
    assertThat(delete.getText()).isEqualTo("Delete console-gpu?");
    b.stale();
    delete.click();
    b.waitForNext("budgets");
    assertThat(b.all("tr[data-budget='console-gpu']")).isEmpty();
    b.assertNoPolicyViolations();
  }

  @Test
  void aProblemFromTheApiIsShownInWords() {
    assertThat(b.openExpectingError("#/cost?by=NotAColumn")).contains("is not a FOCUS column").contains("NotAColumn")
        .contains("by:");
    b.screenshot("error");
  }

  private static WebElement rowContaining(String tableCss, String text) {
    for (WebElement tr : b.all(tableCss + " tbody tr")) {
      if (tr.getText().contains(text)) {
        return tr;
      }
    }
    throw new AssertionError("no row with " + text + " in " + tableCss + ": " + b.text(tableCss));
  }
}
