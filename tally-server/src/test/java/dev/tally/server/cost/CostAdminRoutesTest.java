package dev.tally.server.cost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.json.Json;
import dev.tally.server.ServerOptions;
import dev.tally.server.TallyServer;
import dev.tally.server.auth.KeyKind;
import dev.tally.store.TallyStore;
import dev.tally.store.cost.CostStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bills, budgets and the webhook changed over real HTTP on a running server, as a user of tally serve would. */
class CostAdminRoutesTest {
  static final String HEADER = "ProviderName,BillingAccountId,BillingPeriodStart,BillingPeriodEnd,BilledCost,"
      + "EffectiveCost,ListCost,BillingCurrency,ChargeCategory,ChargePeriodStart,ChargePeriodEnd,ServiceName\n";
  static final String PERIOD = "AWS,A1,2024-09-01,2024-10-01,";

  @TempDir Path dir;
  TallyStore store;
  TallyServer server;
  String key;
  String readOnly;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    store = TallyStore.open(dir.resolve("data"), Clock.systemUTC());
    CostStore cost = CostStore.on(store);
    store.ensureTenant("acme");
    server = TallyServer.start(store, ServerOptions.defaults().withPort(0)
        .withExtraRoutes(List.of(new CostRoutes(cost), new CostAdminRoutes(cost))));
    key = server.keys().create("acme", KeyKind.FULL).secret();
    readOnly = server.keys().create("acme", KeyKind.READ_ONLY).secret();
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  private HttpResponse<String> send(String method, String path, String contentType, String body, String bearer)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.uri() + path))
        .header("Authorization", "Bearer " + bearer);
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(HttpResponse<String> r) throws Exception {
    return Json.json().readTree(r.body());
  }

  private String totalCost() throws Exception {
    HttpResponse<String> r = send("GET", "/api/v1/reports/totals?by=ServiceName", null, null, readOnly);
    JsonNode rows = json(r).get("rows");
    return rows.isEmpty() ? "0" : rows.get(0).get("cost").decimalValue().toPlainString();
  }

  @Test
  void aBillSentOverHttpIsImportedOnceAndRestatedWithReplace() throws Exception {
    String monthToDate = HEADER + PERIOD + "10,10,10,USD,Usage,2024-09-01,2024-09-02,EC2\n";
    HttpResponse<String> first = send("POST", "/api/v1/cost/imports?name=sep-mtd.csv", "text/csv", monthToDate, key);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(json(first).get("rows").asLong()).isEqualTo(1);
    assertThat(json(first).get("focusVersion").asText()).isEqualTo("1.0");
    HttpResponse<String> again = send("POST", "/api/v1/cost/imports", "text/csv", monthToDate, key);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again).get("alreadyImported").asBoolean()).isTrue();
    assertThat(totalCost()).isEqualTo("10");

    String month = monthToDate + PERIOD + "25,25,25,USD,Usage,2024-09-02,2024-09-03,EC2\n";
    HttpResponse<String> restated = send("POST", "/api/v1/cost/imports?replace=true&name=sep.csv", "text/csv", month,
        key);
    assertThat(restated.statusCode()).as(restated.body()).isEqualTo(201);
    assertThat(json(restated).get("replaced").get("rows").asLong()).isEqualTo(1);
    assertThat(json(restated).get("replaced").get("billedTotal").decimalValue()).isEqualByComparingTo("10");
    assertThat(totalCost()).isEqualTo("35");
    assertThat(json(restated).get("costBasis").asText()).isEqualTo("focus");
    assertThat(json(restated).get("rounded").get("columns")).isEmpty();
  }

  @Test
  void anAmortizedAzureExportSaysItsBasisAndRoundedValuesAreCounted() throws Exception {
    String amortized = java.nio.file.Files.readString(java.nio.file.Path.of("../samples/azure/ea-amortized-cost.csv"));
    HttpResponse<String> r = send("POST", "/api/v1/cost/imports?format=azure&name=amortized.csv", "text/csv",
        amortized, key);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(json(r).get("costBasis").asText()).isEqualTo("amortized");
    assertThat(json(r).get("billedTotal").decimalValue()).isEqualByComparingTo("14");
    String places = HEADER + PERIOD + "1.0000000000004,1,1,USD,Usage,2024-09-01,2024-09-02,EC2\n";
    JsonNode rounded = json(send("POST", "/api/v1/cost/imports?name=places.csv", "text/csv", places, key))
        .get("rounded");
    assertThat(rounded.get("columns").get("BilledCost").asLong()).isEqualTo(1);
    assertThat(rounded.get("billedChange").decimalValue()).isEqualByComparingTo("-0.0000000000004");
  }

  @Test
  void headersAreReadUnderTheNamesTheQueryGives() throws Exception {
    String bill = "Abonnement,Datum,Kategorie,Kosten,Currency\nsub-1,2024-09-01,Storage,0.25,EUR\n";
    String path = "/api/v1/cost/imports?format=azure&name=de.csv&column=Abonnement%3DSubscriptionGuid"
        + "&column=Datum%3DUsageDateTime";
    // The cost column is still unknown: refused, naming it, nothing stored.
    HttpResponse<String> missing = send("POST", path, "text/csv", bill, key);
    assertThat(missing.statusCode()).as(missing.body()).isEqualTo(400);
    assertThat(missing.body()).contains("CostInBillingCurrency");
    path += "&column=Kosten%3DPreTaxCost";
    HttpResponse<String> typo = send("POST", path + "&column=Kategorie%3DMeterCategroy", "text/csv", bill, key);
    assertThat(typo.statusCode()).isEqualTo(400);
    assertThat(json(typo).get("detail").asText()).startsWith("de.csv: the column mapping Kategorie=MeterCategroy "
        + "names a column an Azure cost export does not read");
    HttpResponse<String> form = send("POST", path + "&column=Kosten", "text/csv", bill, key);
    assertThat(form.statusCode()).isEqualTo(400);
    assertThat(json(form).get("problems").get(0).get("field").asText()).isEqualTo("column");
    assertThat(totalCost()).isEqualTo("0");

    HttpResponse<String> r = send("POST", path + "&column=Kategorie%3DMeterCategory", "text/csv", bill, key);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(json(r).get("billedTotal").decimalValue()).isEqualByComparingTo("0.25");
  }

  @Test
  void aBadBillIsRefusedWithRowAndColumnAndNothingIsStored() throws Exception {
    String bad = HEADER + PERIOD + "10,10,10,USD,Usage,2024-09-01,2024-09-02,EC2\n"
        + PERIOD + "ten,10,10,USD,Usage,2024-09-02,2024-09-03,EC2\n";
    HttpResponse<String> r = send("POST", "/api/v1/cost/imports?name=bad.csv", "text/csv", bad, key);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
    assertThat(r.body()).contains("BilledCost", "ten", "\"detail\":\"bad.csv: 1 value cannot be imported")
        .doesNotContain("tally-upload");
    JsonNode problem = json(r).get("problems").get(0);
    assertThat(problem.get("field").asText()).isEqualTo("BilledCost");
    assertThat(problem.get("line").asLong()).isEqualTo(3);
    assertThat(totalCost()).isEqualTo("0");
    assertThat(send("POST", "/api/v1/cost/imports?format=gcp", "text/csv", bad, key).statusCode()).isEqualTo(400);
    assertThat(send("POST", "/api/v1/cost/imports?name=../x", "text/csv", bad, key).statusCode()).isEqualTo(400);
    assertThat(send("POST", "/api/v1/cost/imports", "text/csv", "", key).statusCode()).isEqualTo(400);
    // A read-only key cannot change the data.
    assertThat(send("POST", "/api/v1/cost/imports", "text/csv", bad, readOnly).statusCode()).isEqualTo(403);
  }

  @Test
  void budgetsAreCreatedListedAndDeleted() throws Exception {
    send("POST", "/api/v1/cost/imports", "text/csv", HEADER + PERIOD
        + "300,300,300,USD,Usage,2024-09-01,2024-09-02,EC2\n", key);
    HttpResponse<String> created = send("POST", "/api/v1/budgets", "application/json",
        "{\"name\":\"ops\",\"amount\":400,\"charges\":\"usage\",\"filters\":[\"ServiceName=EC2\"],"
            + "\"thresholds\":[\"50\",\"100:forecast\"]}", key);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(json(created).get("thresholds").toString()).contains("50%", "100% of forecast");
    HttpResponse<String> listed = send("GET", "/api/v1/budgets?asOf=2024-09-02", null, null, readOnly);
    JsonNode row = json(listed).get("rows").get(0);
    assertThat(row.get("budget").asText()).isEqualTo("ops");
    assertThat(row.get("spent").decimalValue()).isEqualByComparingTo("300");
    assertThat(send("POST", "/api/v1/budgets", "application/json", "{\"name\":\"ops\",\"amount\":1}", key)
        .statusCode()).isEqualTo(409);
    HttpResponse<String> noAmount = send("POST", "/api/v1/budgets", "application/json", "{\"name\":\"x\"}", key);
    assertThat(noAmount.statusCode()).isEqualTo(400);
    assertThat(noAmount.body()).contains("amount");
    assertThat(send("POST", "/api/v1/budgets", "application/json", "{\"name\":\"x\",\"amount\":\"lots\"}", key)
        .statusCode()).isEqualTo(400);
    // Problems name the request's fields, not the command line's flags.
    HttpResponse<String> negative = send("POST", "/api/v1/budgets", "application/json",
        "{\"name\":\"x\",\"amount\":-5}", key);
    assertThat(negative.statusCode()).isEqualTo(400);
    assertThat(json(negative).get("problems").get(0).get("field").asText()).isEqualTo("amount");
    HttpResponse<String> badThreshold = send("POST", "/api/v1/budgets", "application/json",
        "{\"name\":\"x\",\"amount\":5,\"thresholds\":[\"50:someday\"]}", key);
    assertThat(badThreshold.statusCode()).isEqualTo(400);
    assertThat(json(badThreshold).get("problems").get(0).get("field").asText()).isEqualTo("thresholds");
    assertThat(send("DELETE", "/api/v1/budgets/ops", null, null, key).statusCode()).isEqualTo(204);
    assertThat(send("DELETE", "/api/v1/budgets/ops", null, null, key).statusCode()).isEqualTo(404);
  }

  @Test
  void theWebhookIsSetWithAStrongEnoughSecret() throws Exception {
    HttpResponse<String> weak = send("PUT", "/api/v1/alerts/webhook", "application/json",
        "{\"url\":\"https://example.org/hook\",\"secret\":\"short\"}", key);
    assertThat(weak.statusCode()).isEqualTo(400);
    assertThat(weak.body()).contains("secret");
    HttpResponse<String> ok = send("PUT", "/api/v1/alerts/webhook", "application/json",
        "{\"url\":\"https://example.org/hook\",\"secret\":\"0123456789abcdef-secret\"}", key);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
  }
}
