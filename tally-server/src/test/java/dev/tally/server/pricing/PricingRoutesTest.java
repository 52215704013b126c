package dev.tally.server.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.api.Aggregation;
import dev.tally.api.Event;
import dev.tally.api.Meter;
import dev.tally.core.json.Json;
import dev.tally.server.ServerOptions;
import dev.tally.server.TallyServer;
import dev.tally.server.auth.KeyKind;
import dev.tally.store.TallyStore;
import dev.tally.store.pricing.PricingStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pricing routes on a real server (port 0) over a real store, with real HTTP requests. */
class PricingRoutesTest {
  static final String CATALOG = """
      customers:
        - {id: acme, name: Acme, currency: USD, subjects: [s1]}
      plans:
        - id: api
          version: 1
          currency: USD
          charges:
            - {id: requests, meter: api_requests, unit: requests, price: {model: per_unit, unitPrice: 0.5}}
        - id: api
          version: 2
          currency: USD
          charges:
            - {id: requests, meter: api_requests, price: {model: flat, amount: 1}}
      subscriptions:
        - {id: sub-acme, customer: acme, plan: api, version: 1, start: 2024-01-01}
      """;

  @TempDir Path dir;
  TallyStore store;
  TallyServer server;
  String key;
  String otherKey;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() {
    store = TallyStore.open(dir, Clock.systemUTC());
    store.ensureTenant("acme");
    store.ensureTenant("globex");
    store.meters().apply("acme", List.of(new Meter("api_requests", "", "api.request", Aggregation.COUNT,
        Optional.empty(), new LinkedHashMap<>(), Optional.empty())), false);
    store.ingestor().ingest("acme", List.of(
        Event.of("1", "t", "api.request", "s1", Instant.parse("2024-04-02T00:00:00Z"), "{}"),
        Event.of("2", "t", "api.request", "s1", Instant.parse("2024-04-03T00:00:00Z"), "{}"),
        Event.of("3", "t", "api.request", "s1", Instant.parse("2024-04-04T00:00:00Z"), "{}")), Instant.now());
    server = TallyServer.start(store, ServerOptions.defaults().withPort(0)
        .withExtraRoutes(List.of(new PricingRoutes(PricingStore.open(store)))));
    key = server.keys().create("acme", KeyKind.FULL).secret();
    otherKey = server.keys().create("globex", KeyKind.FULL).secret();
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  @Test
  void catalogueRunShowExplainEventsSimulateExport() throws Exception {
    assertThat(send("PUT", "/api/v1/catalog", key, CATALOG).statusCode()).isEqualTo(200);
    HttpResponse<String> run = send("POST", "/api/v1/invoice-runs", key, "{\"period\": \"2024-04\"}");
    assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
    JsonNode outcome = Json.json().readTree(run.body()).path("invoices").get(0);
    assertThat(outcome.path("invoiceNumber").asText()).isEqualTo("INV-000001");
    assertThat(outcome.path("invoiceId").asText()).isEqualTo("sub-acme@2024-04-01");
    assertThat(outcome.path("total").decimalValue()).isEqualByComparingTo("1.50");

    JsonNode doc = Json.json().readTree(send("GET", "/api/v1/invoices/INV-000001", key, null).body());
    assertThat(doc.path("id").asText()).isEqualTo("sub-acme@2024-04-01");
    assertThat(send("GET", "/api/v1/invoices/sub-acme@2024-04-01", key, null).statusCode()).isEqualTo(200);

    JsonNode explained = Json.json().readTree(send("GET", "/api/v1/invoices/INV-000001/explain?line=1", key, null)
        .body());
    assertThat(explained.path("lines").get(0).path("explanation").path("query").path("meterSlug").asText())
        .isEqualTo("api_requests");
    JsonNode events = Json.json().readTree(send("GET", "/api/v1/invoices/INV-000001/lines/1/events", key, null)
        .body());
    assertThat(events).hasSize(3);

    JsonNode sim = Json.json().readTree(send("POST", "/api/v1/simulations", key,
        "{\"plan\": \"api@2\", \"from\": \"2024-04-01\", \"to\": \"2024-05-01\"}").body());
    assertThat(sim.path("difference").path("USD").decimalValue()).isEqualByComparingTo("-0.50");

    HttpResponse<String> focus = send("GET", "/api/v1/invoices?format=focus", key, null);
    assertThat(focus.headers().firstValue("Content-Type")).get().asString().startsWith("text/csv");
    assertThat(focus.body()).startsWith("BilledCost,");
  }

  @Test
  void anotherTenantSeesNothingAndErrorsAreProblems() throws Exception {
    send("PUT", "/api/v1/catalog", key, CATALOG);
    send("POST", "/api/v1/invoice-runs", key, "{\"period\": \"2024-04\"}");
    HttpResponse<String> other = send("GET", "/api/v1/invoices/INV-000001", otherKey, null);
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(other.headers().firstValue("Content-Type")).get().asString().contains("problem+json");
    HttpResponse<String> bad = send("POST", "/api/v1/invoice-runs", key, "{\"period\": \"April\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("period");
    // A field of the wrong type is refused naming it (JsonFields), never read as absent or converted.
    HttpResponse<String> numbers = send("POST", "/api/v1/invoice-runs", key,
        "{\"period\": \"2024-04\", \"customers\": [7]}");
    assertThat(numbers.statusCode()).isEqualTo(400);
    assertThat(numbers.body()).contains("customers[0]", "must be a string");
    HttpResponse<String> asOf = send("POST", "/api/v1/invoice-runs", key, "{\"period\": \"2024-04\", \"asOf\": 5}");
    assertThat(asOf.statusCode()).isEqualTo(400);
    assertThat(asOf.body()).contains("asOf", "must be a string");
    assertThat(send("GET", "/api/v1/invoices", null, null).statusCode()).isEqualTo(401);
  }

  @Test
  void aRunAsOfAMomentInTheGracePeriodGivesDraftsWithoutNumbers() throws Exception {
    assertThat(send("PUT", "/api/v1/catalog", key, CATALOG).statusCode()).isEqualTo(200);
    HttpResponse<String> run = send("POST", "/api/v1/invoice-runs", key,
        "{\"period\": \"2024-04\", \"asOf\": \"2024-05-02T06:00:00Z\"}");
    assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
    JsonNode body = Json.json().readTree(run.body());
    assertThat(body.path("asOf").asText()).isEqualTo("2024-05-02T06:00:00Z");
    assertThat(body.path("failures")).isEmpty();
    JsonNode draft = body.path("invoices").get(0);
    assertThat(draft.path("status").asText()).isEqualTo("draft");
    assertThat(draft.path("invoiceNumber").isNull()).isTrue();
    assertThat(draft.path("invoiceId").asText()).isEqualTo("sub-acme@2024-04-01");
    HttpResponse<String> later = send("POST", "/api/v1/invoice-runs", key,
        "{\"period\": \"2024-04\", \"asOf\": \"2024-05-04\"}");
    assertThat(Json.json().readTree(later.body()).path("invoices").get(0).path("invoiceNumber").asText())
        .isEqualTo("INV-000001");
    HttpResponse<String> bad = send("POST", "/api/v1/invoice-runs", key,
        "{\"period\": \"2024-04\", \"asOf\": \"soon\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("asOf");
  }

  @Test
  void theCatalogueReadsBackSectionBySection() throws Exception {
    assertThat(send("PUT", "/api/v1/catalog", key, CATALOG).statusCode()).isEqualTo(200);
    JsonNode plans = Json.json().readTree(send("GET", "/api/v1/catalog/plans", key, null).body());
    assertThat(plans.path("plans")).hasSize(2);
    JsonNode one = Json.json().readTree(send("GET", "/api/v1/catalog/subscriptions/sub-acme", key, null).body());
    assertThat(one.path("declared").path("plan").asText()).isEqualTo("api");
    assertThat(send("GET", "/api/v1/catalog/plans/api@1", key, null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/api/v1/catalog/plans/api@9", key, null).statusCode()).isEqualTo(404);
    HttpResponse<String> bad = send("GET", "/api/v1/catalog/widgets", key, null);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("section");
    assertThat(send("GET", "/api/v1/catalog/plans", otherKey, null).body()).isEqualTo("{\"plans\":[]}");
  }

  @Test
  void voidAndCreditNotesOverHttp() throws Exception {
    assertThat(send("PUT", "/api/v1/catalog", key, CATALOG).statusCode()).isEqualTo(200);
    send("POST", "/api/v1/invoice-runs", key, "{\"period\": \"2024-04\"}");
    HttpResponse<String> credit = send("POST", "/api/v1/invoices/INV-000001/credit-notes", key,
        "{\"amount\": \"0.50\", \"reason\": \"goodwill\"}");
    assertThat(credit.statusCode()).as(credit.body()).isEqualTo(201);
    assertThat(Json.json().readTree(credit.body()).path("number").asText()).isEqualTo("CN-000001");
    HttpResponse<String> tooMuch = send("POST", "/api/v1/invoices/INV-000001/credit-notes", key,
        "{\"amount\": \"5\", \"reason\": \"x\"}");
    assertThat(tooMuch.statusCode()).isEqualTo(400);
    assertThat(tooMuch.body()).contains("at most 1.00 is left");
    JsonNode notes = Json.json().readTree(send("GET", "/api/v1/credit-notes?invoice=INV-000001", key, null).body());
    assertThat(notes).hasSize(1);
    assertThat(send("POST", "/api/v1/invoices/INV-000001/void", key, "{\"reason\": \"x\"}").statusCode())
        .isEqualTo(409);
    assertThat(send("POST", "/api/v1/invoices/INV-000001/void", key, "{}").statusCode()).isEqualTo(400);
    assertThat(send("POST", "/api/v1/invoices/INV-000009/void", key, "{\"reason\": \"x\"}").statusCode())
        .isEqualTo(404);
    assertThat(send("POST", "/api/v1/invoices/INV-000001/credit-notes", otherKey,
        "{\"amount\": \"0.50\", \"reason\": \"x\"}").statusCode()).isEqualTo(404);
  }

  private HttpResponse<String> send(String method, String path, String auth, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.uri() + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      b.header("Authorization", "Bearer " + auth);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
