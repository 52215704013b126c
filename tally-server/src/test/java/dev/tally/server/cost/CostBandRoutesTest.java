package dev.tally.server.cost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.demo.DemoCost;
import dev.tally.core.json.Json;
import dev.tally.server.ServerOptions;
import dev.tally.server.TallyServer;
import dev.tally.server.auth.KeyKind;
import dev.tally.store.TallyStore;
import dev.tally.store.cost.CostFormat;
import dev.tally.store.cost.CostStore;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The day-by-day routes over the demo's cost year, whose anomaly (2024-11-14) and forecast are known: each day's
 * figures agree with the anomaly and forecast reports for the same scope.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CostBandRoutesTest {
  @TempDir static Path dir;
  TallyStore store;
  TallyServer server;
  String key;
  String otherKey;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() {
    store = TallyStore.open(dir.resolve("data"), Clock.systemUTC());
    CostStore cost = CostStore.on(store);
    cost.importer().importStream("demo", "demo-cost.csv", new ByteArrayInputStream(DemoCost.focusCsv()
        .getBytes(StandardCharsets.UTF_8)), Long.MAX_VALUE, CostFormat.FOCUS, false);
    store.ensureTenant("globex");
    server = TallyServer.start(store, ServerOptions.defaults().withPort(0)
        .withExtraRoutes(List.of(new CostRoutes(cost), new CostBandRoutes(cost))));
    key = server.keys().create("demo", KeyKind.READ_ONLY).secret();
    otherKey = server.keys().create("globex", KeyKind.READ_ONLY).secret();
  }

  @AfterAll
  void stop() {
    server.close();
    store.close();
  }

  private JsonNode json(String path, String bearer) throws Exception {
    HttpResponse<String> r = get(path, bearer);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.json().readTree(r.body());
  }

  private HttpResponse<String> get(String path, String bearer) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server.uri() + path)).header("Authorization", "Bearer "
        + bearer).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void everyDayOfNovemberWithTheAnomalyReportsFiguresOnItsDay() throws Exception {
    JsonNode days = json("/api/v1/reports/expected?from=2024-11-01&to=2024-12-01", key).get("rows");
    assertThat(days).hasSize(30);
    JsonNode anomaly = json("/api/v1/reports/anomalies?from=2024-11-01&to=2024-12-01", key).get("rows").get(0);
    List<String> flagged = new ArrayList<>();
    for (JsonNode d : days) {
      assertThat(d.get("lower").decimalValue()).isLessThanOrEqualTo(d.get("expected").decimalValue());
      assertThat(d.get("upper").decimalValue()).isGreaterThanOrEqualTo(d.get("expected").decimalValue());
      if (d.get("anomaly").asBoolean()) {
        flagged.add(d.get("day").asText());
        for (String f : List.of("actual", "expected", "lower", "upper", "impact")) {
          assertThat(d.get(f).decimalValue()).as(f).isEqualByComparingTo(anomaly.get(f).decimalValue());
        }
      }
    }
    assertThat(flagged).containsExactly(DemoCost.ANOMALY_DAY.toString());
  }

  @Test
  void forecastDaysAddUpToTheForecastReport() throws Exception {
    JsonNode report = json("/api/v1/reports/forecast?horizon=month&asOf=2024-11-20", key).get("rows").get(0);
    JsonNode days = json("/api/v1/reports/forecast-days?horizon=month&asOf=2024-11-20", key).get("rows");
    assertThat(days).hasSize(30);
    BigDecimal actual = BigDecimal.ZERO;
    BigDecimal forecast = BigDecimal.ZERO;
    for (JsonNode d : days) {
      if (d.get("day").asText().compareTo("2024-11-20") < 0) {
        assertThat(d.get("forecast").isNull()).isTrue();
        actual = actual.add(d.get("actual").decimalValue());
      } else {
        assertThat(d.get("actual").isNull()).isTrue();
        assertThat(d.get("lower_80").decimalValue()).isLessThan(d.get("upper_80").decimalValue());
        forecast = forecast.add(d.get("forecast").decimalValue());
      }
    }
    assertThat(actual).isEqualByComparingTo(report.get("actual").decimalValue());
    // Each day is rounded to 6 places, the report's remainder once: 11 days differ by at most 11 millionths.
    assertThat(forecast.subtract(report.get("forecast_remaining").decimalValue()).abs())
        .isLessThanOrEqualTo(new BigDecimal("0.000011"));
  }

  @Test
  void refusalsAndOtherTenantsAreTheReportsOwn() throws Exception {
    HttpResponse<String> r = get("/api/v1/reports/forecast-days?horizon=decade", key);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("horizon", "decade");
    HttpResponse<String> early = get("/api/v1/reports/forecast-days?horizon=month&asOf=2024-01-05", key);
    assertThat(early.statusCode()).isEqualTo(400);
    assertThat(early.body()).contains("history");
    assertThat(json("/api/v1/reports/expected", otherKey).get("rows")).isEmpty();
  }
}
