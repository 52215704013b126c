package dev.tally.store.cost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.tally.core.cost.AnomalySettings;
import dev.tally.core.cost.ChargeScope;
import dev.tally.core.cost.Horizon;
import dev.tally.core.cost.ReportTable;
import dev.tally.core.json.Json;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Budgets crossing thresholds raise alerts once; alerts reach a real local webhook, signed, with retries recorded. */
class CostAlertsTest extends CostTestBase {
  static final LocalDate AS_OF = LocalDate.of(2024, 7, 3);
  static final String SECRET = "0123456789abcdef-secret";
  static final AnomalySettings NO_ANOMALIES =
      AnomalySettings.defaults().withThresholds(new BigDecimal("1000000"), BigDecimal.ZERO);

  HttpServer server;
  final List<Map<String, String>> received = new CopyOnWriteArrayList<>();
  final AtomicInteger failuresLeft = new AtomicInteger();

  @BeforeEach
  void loadTheBillAndListen() throws Exception {
    cost.importer().importFile("t", FocusFiles.juneJuly().write(dir.resolve("bill.csv")), CostFormat.FOCUS);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hook", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      received.add(Map.of("body", body,
          "signature", String.valueOf(exchange.getRequestHeaders().getFirst("X-Tally-Signature")),
          "timestamp", String.valueOf(exchange.getRequestHeaders().getFirst("X-Tally-Timestamp")),
          "id", String.valueOf(exchange.getRequestHeaders().getFirst("X-Tally-Alert-Id"))));
      int status = failuresLeft.getAndDecrement() > 0 ? 503 : 204;
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stopListening() {
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  private static Budget usageBudget(BigDecimal amount) {
    return new Budget("ops", Horizon.MONTH, amount, ChargeScope.USAGE, List.of(), List.of(
        Budget.Threshold.parse("50"), Budget.Threshold.parse("80"), Budget.Threshold.parse("100")));
  }

  @Test
  void crossingThresholdsAlertsOnceAndStatusShowsTheSpend() {
    cost.budgets().create("t", usageBudget(new BigDecimal("400")));
    // July usage before 3 July: 300 + 40 + 10 = 350, 87.5% of 400: the 50% and 80% thresholds are crossed.
    ReportTable status = cost.budgets().status("t", AS_OF, ZoneOffset.UTC);
    Map<String, Object> row = status.records().get(0);
    assertThat((BigDecimal) row.get("spent")).isEqualByComparingTo("350");
    assertThat((BigDecimal) row.get("spent_percent")).isEqualByComparingTo("87.50");
    assertThat(row.get("crossed")).isEqualTo("50%, 80%");

    List<CostAlerts.Alert> first = cost.alerts().check("t", AS_OF, ZoneOffset.UTC, NO_ANOMALIES, 7);
    assertThat(first).extracting(CostAlerts.Alert::key)
        .containsExactly("budget:ops:2024-07:actual:50", "budget:ops:2024-07:actual:80");
    assertThat(cost.alerts().check("t", AS_OF, ZoneOffset.UTC, NO_ANOMALIES, 7)).isEmpty();
    assertThat(cost.alerts().list("t").rows()).hasSize(2);
  }

  @Test
  void purchasesSpendABudgetOverAllCharges() {
    cost.budgets().create("t", new Budget("all", Horizon.MONTH, new BigDecimal("1000"), ChargeScope.ALL, List.of(),
        List.of(Budget.Threshold.parse("100"))));
    // 350 of usage plus the 1000 consulting purchase and 20 of tax.
    assertThat((BigDecimal) cost.budgets().status("t", AS_OF, ZoneOffset.UTC).records().get(0).get("spent"))
        .isEqualByComparingTo("1370");
  }

  @Test
  void deliversSignedRetriesWithBackoffAndRecordsEveryAttempt() throws Exception {
    cost.budgets().create("t", usageBudget(new BigDecimal("400")));
    cost.alerts().webhook("t", url(), SECRET);
    cost.alerts().check("t", AS_OF, ZoneOffset.UTC, NO_ANOMALIES, 7);
    failuresLeft.set(2);
    CostAlerts.Delivery d = cost.alerts().deliver("t", new WebhookSender(Clock.systemUTC(), 4, Duration.ofMillis(5)));
    assertThat(d.delivered()).isEqualTo(2);
    assertThat(d.failed()).isZero();
    // The first alert took three attempts (two 503s, then 204), the second one.
    assertThat(received).hasSize(4);
    for (Map<String, String> r : received) {
      assertThat(r.get("signature")).isEqualTo("sha256=" + WebhookSender.sign(SECRET, r.get("timestamp") + "."
          + r.get("body")));
      JsonNode body = Json.json().readTree(r.get("body"));
      assertThat(body.get("kind").asText()).isEqualTo("budget");
      assertThat(body.get("id").asText()).isEqualTo(r.get("id"));
    }
    List<Map<String, Object>> alerts = cost.alerts().list("t").records();
    Map<String, Object> first = alerts.get(alerts.size() - 1);
    assertThat((BigDecimal) first.get("attempts")).isEqualByComparingTo("3");
    assertThat(first.get("last_result")).isEqualTo("204");
    assertThat((String) first.get("delivery")).startsWith("delivered");
    // Delivered alerts are not sent again.
    assertThat(cost.alerts().deliver("t", new WebhookSender(Clock.systemUTC(), 1, Duration.ZERO)).pending())
        .isZero();
  }

  @Test
  void undeliveredAlertsStayPendingAndAttemptsContinueOnTheNextRun() {
    cost.budgets().create("t", usageBudget(new BigDecimal("400")));
    cost.alerts().webhook("t", url(), SECRET);
    cost.alerts().check("t", AS_OF, ZoneOffset.UTC, NO_ANOMALIES, 7);
    failuresLeft.set(100);
    CostAlerts.Delivery d = cost.alerts().deliver("t", new WebhookSender(Clock.systemUTC(), 2, Duration.ofMillis(1)));
    assertThat(d.failed()).isEqualTo(2);
    failuresLeft.set(0);
    d = cost.alerts().deliver("t", new WebhookSender(Clock.systemUTC(), 2, Duration.ofMillis(1)));
    assertThat(d.delivered()).isEqualTo(2);
    Map<String, Object> any = cost.alerts().list("t").records().get(0);
    assertThat((BigDecimal) any.get("attempts")).isEqualByComparingTo("3");
  }

  @Test
  void anAnomalyRaisesAnAlertWithItsRootCause() {
    // 40 quiet days of 100 on EC2, then a day of 100 EC2 + 400 on a new GPU service.
    FocusFiles f = new FocusFiles();
    LocalDate start = LocalDate.of(2024, 5, 1);
    for (int i = 0; i < 40; i++) {
      f.add(start.plusDays(i).toString(), "Usage", "EC2", "acct1", "us-east-1", "100", "");
    }
    f.add(start.plusDays(40).toString(), "Usage", "EC2", "acct1", "us-east-1", "100", "");
    f.add(start.plusDays(40).toString(), "Usage", "GPU", "acct9", "us-west-2", "400", "");
    cost.importer().importFile("g", f.write(dir.resolve("gpu.csv")), CostFormat.FOCUS);
    List<CostAlerts.Alert> alerts = cost.alerts().check("g", start.plusDays(41), ZoneOffset.UTC,
        AnomalySettings.defaults().withThresholds(new BigDecimal("100"), new BigDecimal("20")), 3);
    assertThat(alerts).extracting(CostAlerts.Alert::key).containsExactly("anomaly:total:2024-06-10");
    assertThat(alerts.get(0).payload()).contains("\"root_causes\":[{\"dimension\":\"ServiceName\",\"value\":\"GPU\"");
  }

  @Test
  void aForecastThresholdAlertsBeforeTheMoneyIsSpent() {
    // 10 a day from 1 to 20 June: 200 spent by the 21st, 300 forecast for June.
    FocusFiles f = new FocusFiles();
    for (int d = 1; d <= 20; d++) {
      f.add(LocalDate.of(2024, 6, d).toString(), "Usage", "EC2", "acct1", "us-east-1", "10", "");
    }
    cost.importer().importFile("f", f.write(dir.resolve("flat.csv")), CostFormat.FOCUS);
    cost.budgets().create("f", new Budget("june", Horizon.MONTH, new BigDecimal("250"), ChargeScope.ALL, List.of(),
        List.of(Budget.Threshold.parse("100"), Budget.Threshold.parse("100:forecast"))));
    LocalDate asOf = LocalDate.of(2024, 6, 21);
    Map<String, Object> status = cost.budgets().status("f", asOf, ZoneOffset.UTC).records().get(0);
    assertThat((BigDecimal) status.get("forecast")).isEqualByComparingTo("300");
    assertThat((BigDecimal) status.get("forecast_percent")).isEqualByComparingTo("120.00");
    assertThat(cost.alerts().check("f", asOf, ZoneOffset.UTC, NO_ANOMALIES, 7)).extracting(CostAlerts.Alert::key)
        .containsExactly("budget:june:2024-06:forecast:100");
  }
}
