package dev.tally.server.metering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.json.Json;
import dev.tally.server.ServerTestBase;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Replays the request and response examples OpenMeter documents for the endpoints Tally shares with it (its
 * {@code api/openapi.yaml} examples for Event, MeterCreate, MeterQueryResult, PortalToken, IngestedEvent and the
 * problem responses, and its quickstart), as an OpenMeter client would send them, and checks Tally's answers have the
 * documented status codes, media types and shapes. The fixtures are written here from those documented shapes.
 */
class OpenMeterCompatibilityTest extends ServerTestBase {
  static JsonNode json(String s) throws Exception {
    return Json.json().readTree(s);
  }

  @Test
  void eventExampleIsIngestedWith204() {
    // The Event schema's example: no data, time with milliseconds.
    String event = """
        {"id": "5c10fade-1c9e-4d6c-8275-c52c36731d3c", "source": "service-name", "specversion": "1.0",
         "type": "prompt", "subject": "customer-id", "time": "2023-01-01T01:01:01.001Z"}""";
    HttpResponse<String> r = t.ingest(t.acmeKey, "application/cloudevents+json", event);
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void sdkBatchWithNullOptionalAttributesIsIngested() {
    // The TypeScript SDK sends arrays as cloudevents-batch+json; CloudEvents allows optional attributes as null.
    String batch = """
        [{"id": "quickstart-typescript-1", "source": "quickstart", "specversion": "1.0", "type": "request",
          "subject": "quickstart-typescript", "time": "2025-01-01T10:00:00.000Z", "datacontenttype": null,
          "dataschema": null, "data": {"method": "GET", "route": "/hello"}}]""";
    assertThat(t.ingest(t.acmeKey, "application/cloudevents-batch+json", batch).statusCode()).isEqualTo(204);
  }

  @Test
  void meterCreateExampleAndQueryResultExample() throws Exception {
    // MeterCreate's example.
    String meter = """
        {"slug": "tokens_total", "name": "Tokens Total", "description": "AI Token Usage", "aggregation": "SUM",
         "eventType": "prompt", "valueProperty": "$.tokens", "groupBy": {"model": "$.model", "type": "$.type"}}""";
    HttpResponse<String> created = t.post("/api/v1/meters", t.acmeKey, "application/json", meter);
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode m = json(created.body());
    for (String field : new String[] {"slug", "description", "aggregation", "eventType", "valueProperty"}) {
      assertThat(m.get(field)).as(field).isEqualTo(json(meter).get(field));
    }
    assertThat(m.get("groupBy")).isEqualTo(json(meter).get("groupBy"));
    assertThat(m.has("id")).isTrue();
    // Events that make MeterQueryResult's example: 12 tokens of customer-1, gpt-4-turbo prompts, on 2023-01-01.
    String events = """
        [{"id": "1", "source": "app", "specversion": "1.0", "type": "prompt", "subject": "customer-1",
          "time": "2023-01-01T08:00:00Z", "data": {"tokens": 5, "model": "gpt-4-turbo", "type": "prompt"}},
         {"id": "2", "source": "app", "specversion": "1.0", "type": "prompt", "subject": "customer-1",
          "time": "2023-01-01T20:00:00Z", "data": {"tokens": "7", "model": "gpt-4-turbo", "type": "prompt"}}]""";
    assertThat(t.ingest(t.acmeKey, "application/cloudevents-batch+json", events).statusCode()).isEqualTo(204);
    HttpResponse<String> q = t.get("/api/v1/meters/tokens_total/query?from=2023-01-01T00%3A00%3A00Z"
        + "&to=2023-01-02T00%3A00%3A00Z&windowSize=DAY&subject=customer-1&groupBy=model&groupBy=type", t.acmeKey);
    assertThat(q.statusCode()).isEqualTo(200);
    assertThat(q.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(json(q.body())).isEqualTo(json("""
        {"from": "2023-01-01T00:00:00Z", "to": "2023-01-02T00:00:00Z", "windowSize": "DAY",
         "data": [{"value": 12, "windowStart": "2023-01-01T00:00:00Z", "windowEnd": "2023-01-02T00:00:00Z",
                   "subject": "customer-1", "groupBy": {"model": "gpt-4-turbo", "type": "prompt"}}]}"""));
    // The deprecated-but-documented filter form, ?filterGroupBy[model]=...
    HttpResponse<String> filtered = t.get("/api/v1/meters/tokens_total/query?from=2023-01-01T00%3A00%3A00Z"
        + "&to=2023-01-02T00%3A00%3A00Z&filterGroupBy%5Bmodel%5D=gpt-4o", t.acmeKey);
    assertThat(json(filtered.body()).get("data")).isEmpty();
    // The POST form with MeterQueryRequest's example shape (filterGroupBy values as arrays).
    HttpResponse<String> posted = t.post("/api/v1/meters/tokens_total/query", t.acmeKey, "application/json", """
        {"from": "2023-01-01T00:00:00Z", "to": "2023-01-02T00:00:00Z", "windowSize": "DAY",
         "windowTimeZone": "UTC", "subject": ["customer-1"], "groupBy": ["model", "type"],
         "filterGroupBy": {"model": ["gpt-4-turbo"]}}""");
    assertThat(json(posted.body()).get("data").get(0).get("value").asInt()).isEqualTo(12);
  }

  @Test
  void quickstartCountMeterAnswersValueOne() throws Exception {
    t.post("/api/v1/meters", t.acmeKey, "application/json", """
        {"slug": "api_requests_total", "eventType": "request", "aggregation": "COUNT",
         "groupBy": {"method": "$.method", "route": "$.route"}}""");
    HttpResponse<String> r = t.ingest(t.acmeKey, "application/cloudevents+json", """
        {"specversion": "1.0", "type": "request", "id": "quickstart-curl-1", "source": "quickstart",
         "subject": "quickstart-curl", "data": {"method": "GET", "route": "/hello"}}""");
    assertThat(r.statusCode()).isEqualTo(204);
    JsonNode usage = json(t.get("/api/v1/meters/api_requests_total/query?subject=quickstart-curl", t.acmeKey).body());
    assertThat(usage.get("data").get(0).get("subject").asText()).isEqualTo("quickstart-curl");
    assertThat(usage.get("data").get(0).get("value").toString()).isEqualTo("1");
    JsonNode grouped = json(t.get("/api/v1/meters/api_requests_total/query?windowSize=HOUR&groupBy=method"
        + "&groupBy=route", t.acmeKey).body());
    assertThat(grouped.get("data").get(0).get("groupBy")).isEqualTo(json("{\"method\":\"GET\",\"route\":\"/hello\"}"));
  }

  @Test
  void portalTokenExample() throws Exception {
    t.post("/api/v1/meters", t.acmeKey, "application/json",
        "{\"slug\": \"tokens_total\", \"eventType\": \"prompt\", \"aggregation\": \"COUNT\"}");
    HttpResponse<String> r = t.post("/api/v1/portal/tokens", t.acmeKey, "application/json",
        "{\"subject\": \"customer-1\", \"allowedMeterSlugs\": [\"tokens_total\"]}");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode token = json(r.body());
    assertThat(token.get("subject").asText()).isEqualTo("customer-1");
    assertThat(token.get("allowedMeterSlugs").get(0).asText()).isEqualTo("tokens_total");
    assertThat(token.get("expired").asBoolean()).isFalse();
    for (String field : new String[] {"id", "token", "expiresAt", "createdAt"}) {
      assertThat(token.hasNonNull(field)).as(field).isTrue();
    }
    HttpResponse<String> q = t.get("/api/v1/portal/meters/tokens_total/query?windowSize=DAY",
        token.get("token").asText());
    assertThat(q.statusCode()).isEqualTo(200);
    assertThat(json(q.body()).has("data")).isTrue();
  }

  @Test
  void listEventsItemsHaveTheIngestedEventShape() throws Exception {
    t.ingest(t.acmeKey, "application/cloudevents+json", """
        {"id": "5c10fade-1c9e-4d6c-8275-c52c36731d3c", "source": "service-name", "specversion": "1.0",
         "type": "prompt", "subject": "customer-id", "time": "2023-01-01T01:01:01.001Z"}""");
    JsonNode item = json(t.get("/api/v1/events?limit=100", t.acmeKey).body()).get(0);
    assertThat(item.get("event").get("time").asText()).isEqualTo("2023-01-01T01:01:01.001Z");
    assertThat(item.get("event").get("specversion").asText()).isEqualTo("1.0");
    assertThat(item.hasNonNull("ingestedAt")).isTrue();
    assertThat(item.hasNonNull("storedAt")).isTrue();
  }

  @Test
  void errorsHaveTheProblemShapeOpenMeterClientsRead() throws Exception {
    HttpResponse<String> r = t.ingest(t.acmeKey, "application/cloudevents+json", "{\"id\": \"x\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode p = json(r.body());
    for (String field : new String[] {"type", "title", "status", "detail", "instance"}) {
      assertThat(p.hasNonNull(field)).as(field).isTrue();
    }
    assertThat(p.get("title").asText()).isEqualTo("Bad Request");
  }
}
