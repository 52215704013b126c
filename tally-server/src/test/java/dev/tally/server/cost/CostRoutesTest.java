package dev.tally.server.cost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.json.Json;
import dev.tally.server.ServerOptions;
import dev.tally.server.TallyServer;
import dev.tally.server.auth.KeyKind;
import dev.tally.store.TallyStore;
import dev.tally.store.cost.CostFormat;
import dev.tally.store.cost.CostStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report routes on a real server (port 0) over a real store, with real HTTP requests. */
class CostRoutesTest {
  @TempDir Path dir;
  TallyStore store;
  TallyServer server;
  String key;
  String otherKey;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    store = TallyStore.open(dir.resolve("data"), Clock.systemUTC());
    CostStore cost = CostStore.on(store);
    Path bill = Files.writeString(dir.resolve("bill.csv"), "BilledCost,EffectiveCost,ListCost,BillingCurrency,"
        + "ChargeCategory,ChargePeriodStart,ChargePeriodEnd,ServiceName\n"
        + "60,60,60,USD,Usage,2024-06-10,2024-06-11,EC2\n"
        + "40,40,40,USD,Usage,2024-06-11,2024-06-12,S3\n"
        + "90,90,90,USD,Usage,2024-07-10,2024-07-11,EC2\n");
    cost.importer().importFile("acme", bill, CostFormat.FOCUS);
    store.ensureTenant("globex");
    server = TallyServer.start(store, ServerOptions.defaults().withPort(0)
        .withExtraRoutes(List.of(new CostRoutes(cost))));
    key = server.keys().create("acme", KeyKind.READ_ONLY).secret();
    otherKey = server.keys().create("globex", KeyKind.READ_ONLY).secret();
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  private HttpResponse<String> get(String path, String bearer) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server.uri() + path)).header("Authorization", "Bearer "
        + bearer).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void totalsAndGrowthAsJsonAndCsv() throws Exception {
    HttpResponse<String> r = get("/api/v1/reports/totals?by=ServiceName", key);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode rows = Json.json().readTree(r.body()).get("rows");
    assertThat(rows.get(0).get("ServiceName").asText()).isEqualTo("EC2");
    assertThat(rows.get(0).get("cost").decimalValue()).isEqualByComparingTo("150");
    HttpResponse<String> csv = get("/api/v1/reports/growth?by=ServiceName&base=2024-06&compare=2024-07&format=csv",
        key);
    assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    assertThat(csv.body()).contains("EC2,60,90,30,50.00,UP");
  }

  @Test
  void badParametersAreProblemsNamingTheParameter() throws Exception {
    HttpResponse<String> r = get("/api/v1/reports/growth?by=ServiceName&base=June&compare=2024-07", key);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
    assertThat(r.body()).contains("base", "June");
    assertThat(get("/api/v1/reports/nope", key).statusCode()).isEqualTo(404);
  }

  @Test
  void anotherTenantSeesNothingOfThisOne() throws Exception {
    HttpResponse<String> r = get("/api/v1/reports/series?window=month", otherKey);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Json.json().readTree(r.body()).get("rows")).isEmpty();
    assertThat(get("/api/v1/alerts", otherKey).statusCode()).isEqualTo(200);
  }
}
