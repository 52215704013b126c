package dev.tally.server.metering;

import static dev.tally.server.TestingServer.event;
import static dev.tally.server.TestingServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.server.ServerTestBase;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetersAndQueriesTest extends ServerTestBase {
  static final String TOKENS = "{\"slug\":\"tokens\",\"description\":\"AI tokens\",\"eventType\":\"prompt\","
      + "\"aggregation\":\"SUM\",\"valueProperty\":\"$.tokens\",\"groupBy\":{\"model\":\"$.model\"}}";

  private void ingestPrompts() {
    String batch = "[" + prompt("p1", "alice", "2024-03-30T22:30:00Z", "0.1", "gpt-4") + ","
        + prompt("p2", "alice", "2024-03-31T10:00:00Z", "0.2", "gpt-4") + ","
        + prompt("p3", "bob", "2024-03-31T23:30:00Z", "100", "llama") + "]";
    assertThat(t.ingest(t.acmeKey, "application/cloudevents-batch+json", batch).statusCode()).isEqualTo(204);
  }

  private static String prompt(String id, String subject, String time, String tokens, String model) {
    return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"app\",\"type\":\"prompt\",\"subject\":\""
        + subject + "\",\"time\":\"" + time + "\",\"data\":{\"tokens\":" + tokens + ",\"model\":\"" + model + "\"}}";
  }

  @Test
  void meterLifecycle() throws Exception {
    ingestPrompts();
    HttpResponse<String> created = t.post("/api/v1/meters", t.acmeKey, "application/json", TOKENS);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/meters/tokens");
    JsonNode c = json(created);
    assertThat(c.get("slug").asText()).isEqualTo("tokens");
    assertThat(c.get("backfill").get("counted").asLong()).isEqualTo(3);
    assertThat(t.post("/api/v1/meters", t.acmeKey, "application/json", TOKENS).statusCode()).isEqualTo(409);
    assertThat(json(t.get("/api/v1/meters", t.acmeKey))).hasSize(1);
    assertThat(json(t.get("/api/v1/meters/tokens", t.acmeKey)).get("groupBy").get("model").asText())
        .isEqualTo("$.model");
    // A partial update, as OpenMeter's update sends it: only the description changes.
    HttpResponse<String> updated = t.put("/api/v1/meters/tokens", t.acmeKey, "{\"description\":\"Tokens\"}");
    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(json(updated).get("aggregation").asText()).isEqualTo("SUM");
    assertThat(json(updated).get("description").asText()).isEqualTo("Tokens");
    // A change of aggregation recomputes from the stored events.
    HttpResponse<String> toCount = t.put("/api/v1/meters/tokens", t.acmeKey,
        "{\"aggregation\":\"COUNT\",\"valueProperty\":null}");
    assertThat(toCount.statusCode()).isEqualTo(200);
    JsonNode count = json(t.get("/api/v1/meters/tokens/query?from=2024-03-01&to=2024-04-01", t.acmeKey));
    assertThat(count.get("data").get(0).get("value").asInt()).isEqualTo(3);
    assertThat(t.delete("/api/v1/meters/tokens", t.acmeKey).statusCode()).isEqualTo(204);
    assertThat(t.get("/api/v1/meters/tokens", t.acmeKey).statusCode()).isEqualTo(404);
    assertThat(t.delete("/api/v1/meters/tokens", t.acmeKey).statusCode()).isEqualTo(404);
  }

  @Test
  void invalidMeterListsEveryProblem() throws Exception {
    HttpResponse<String> r = t.post("/api/v1/meters", t.acmeKey, "application/json",
        "{\"slug\":\"Bad Slug\",\"aggregation\":\"MEDIAN\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).findValuesAsText("field")).contains("slug", "eventType", "aggregation");
    HttpResponse<String> mismatch = t.put("/api/v1/meters/tokens", t.acmeKey, "{\"slug\":\"other\"}");
    assertThat(mismatch.statusCode()).isEqualTo(400);
    assertThat(t.post("/api/v1/meters", t.acmeKey, "text/plain", TOKENS).statusCode()).isEqualTo(415);
  }

  @Test
  void queryWithWindowsZoneGroupsAndFilters() throws Exception {
    ingestPrompts();
    t.post("/api/v1/meters", t.acmeKey, "application/json", TOKENS);
    // 2024-03-31 is the DST day in Paris: a 23-hour local day.
    JsonNode r = json(t.get("/api/v1/meters/tokens/query?from=2024-03-30&to=2024-04-02&windowSize=DAY"
        + "&windowTimeZone=Europe/Paris&groupBy=model", t.acmeKey));
    assertThat(r.get("windowSize").asText()).isEqualTo("DAY");
    assertThat(r.get("from").asText()).isEqualTo("2024-03-29T23:00:00Z");
    JsonNode data = r.get("data");
    // p1 is late on the 30th in Paris, p2 on the 31st, p3 early on 1 April (local).
    assertThat(data).hasSize(3);
    assertThat(data.get(1).get("windowStart").asText()).isEqualTo("2024-03-30T23:00:00Z");
    assertThat(data.get(1).get("windowEnd").asText()).isEqualTo("2024-03-31T22:00:00Z");
    assertThat(data.get(1).get("value").decimalValue()).isEqualByComparingTo("0.2");
    assertThat(data.get(1).get("subject").isNull()).isTrue();
    assertThat(data.get(1).get("groupBy").get("model").asText()).isEqualTo("gpt-4");
    assertThat(data.get(2).get("windowStart").asText()).isEqualTo("2024-03-31T22:00:00Z");
    assertThat(data.get(2).get("groupBy").get("model").asText()).isEqualTo("llama");
    JsonNode bySubject = json(t.get("/api/v1/meters/tokens/query?from=2024-03-01&to=2024-04-01&subject=alice"
        + "&filterGroupBy[model]=gpt-4", t.acmeKey));
    assertThat(bySubject.get("data")).hasSize(1);
    assertThat(bySubject.get("data").get(0).get("subject").asText()).isEqualTo("alice");
    assertThat(bySubject.get("data").get(0).get("value").toString()).isEqualTo("0.3");
  }

  @Test
  void postQueryTakesTheSameParametersAsJson() throws Exception {
    ingestPrompts();
    t.post("/api/v1/meters", t.acmeKey, "application/json", TOKENS);
    JsonNode r = json(t.post("/api/v1/meters/tokens/query", t.acmeKey, "application/json",
        "{\"from\":\"2024-03-01T00:00:00Z\",\"to\":\"2024-04-01T00:00:00Z\",\"subject\":[\"alice\",\"bob\"],"
            + "\"filterGroupBy\":{\"model\":[\"llama\"]}}"));
    assertThat(r.get("data")).hasSize(1);
    assertThat(r.get("data").get(0).get("subject").asText()).isEqualTo("bob");
    assertThat(r.get("data").get(0).get("value").asInt()).isEqualTo(100);
  }

  @Test
  void absentBoundsDefaultToTheFirstValueAndNow() throws Exception {
    ingestPrompts();
    t.post("/api/v1/meters", t.acmeKey, "application/json", TOKENS);
    JsonNode r = json(t.get("/api/v1/meters/tokens/query?windowSize=MONTH", t.acmeKey));
    assertThat(r.get("from").asText()).isEqualTo("2024-03-01T00:00:00Z");
    assertThat(r.get("data")).hasSize(1);
    assertThat(r.get("data").get(0).get("value").decimalValue()).isEqualByComparingTo("100.3");
  }

  @Test
  void csvOnAcceptTextCsv() {
    ingestPrompts();
    t.post("/api/v1/meters", t.acmeKey, "application/json", TOKENS);
    HttpResponse<String> r = t.send(t.request(
        "/api/v1/meters/tokens/query?from=2024-03-01&to=2024-04-01&groupBy=subject&groupBy=model", t.acmeKey)
        .header("Accept", "text/csv").GET().build());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
    assertThat(r.body().replace("\r\n", "\n")).isEqualTo("""
        windowStart,windowEnd,subject,model,value
        2024-03-01T00:00:00Z,2024-04-01T00:00:00Z,alice,gpt-4,0.3
        2024-03-01T00:00:00Z,2024-04-01T00:00:00Z,bob,llama,100
        """);
  }

  @Test
  void queryParameterErrorsAre400WithEveryProblem() throws Exception {
    t.post("/api/v1/meters", t.acmeKey, "application/json", TOKENS);
    HttpResponse<String> r = t.get("/api/v1/meters/tokens/query?from=yesterday&to=2024-13-01&windowSize=WEEK"
        + "&windowTimeZone=Mars/Olympus&window_size=DAY", t.acmeKey);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(json(r).findValuesAsText("field"))
        .containsExactlyInAnyOrder("from", "to", "windowSize", "windowTimeZone", "window_size");
    assertThat(fields(t.get("/api/v1/meters/tokens/query?from=2024-02-01&to=2024-01-01", t.acmeKey)))
        .containsExactly("from");
    assertThat(fields(t.get("/api/v1/meters/tokens/query?from=2000-01-01&to=2024-01-01&windowSize=MINUTE",
        t.acmeKey))).containsExactly("windowSize");
    assertThat(fields(t.get("/api/v1/meters/tokens/query?groupBy=colour", t.acmeKey))).containsExactly("groupBy");
    // A meter that does not exist is 404, as OpenMeter answers, even with bad parameters: there is nothing to query.
    for (HttpResponse<String> missing : List.of(t.get("/api/v1/meters/nope/query", t.acmeKey),
        t.get("/api/v1/meters/nope/query?from=yesterday", t.acmeKey),
        t.post("/api/v1/meters/nope/query", t.acmeKey, "application/json", "{}"))) {
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      JsonNode problem = json(missing);
      assertThat(problem.get("type").asText()).isEqualTo("urn:tally:problem:not-found");
      assertThat(problem.get("detail").asText()).isEqualTo("no meter 'nope'");
      assertThat(problem.findValuesAsText("field")).containsExactly("meterIdOrSlug");
    }
  }

  private static List<String> fields(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).isEqualTo(400);
    return json(r).findValuesAsText("field");
  }

  @Test
  void listEventsNewestFirstWithIngestTimeAndFilters() throws Exception {
    ingestPrompts();
    JsonNode all = json(t.get("/api/v1/events", t.acmeKey));
    assertThat(all).hasSize(3);
    assertThat(all.get(0).get("event").get("id").asText()).isEqualTo("p3");
    assertThat(all.get(0).get("ingestedAt").asText()).isNotEmpty();
    assertThat(all.get(2).get("event").get("data").get("tokens").toString()).isEqualTo("0.1");
    JsonNode alice = json(t.get("/api/v1/events?subject=alice&limit=1", t.acmeKey));
    assertThat(alice).hasSize(1);
    assertThat(alice.get(0).get("event").get("id").asText()).isEqualTo("p2");
    JsonNode range = json(t.get("/api/v1/events?from=2024-03-31T00:00:00Z&to=2024-03-31T12:00:00Z", t.acmeKey));
    assertThat(range).hasSize(1);
    HttpResponse<String> bad = t.get("/api/v1/events?limit=0&from=nope&colour=red", t.acmeKey);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).findValuesAsText("field")).containsExactlyInAnyOrder("limit", "from", "colour");
  }

  @Test
  void unknownRouteAndMethodAreProblems() throws Exception {
    HttpResponse<String> r = t.get("/api/v1/nothing", t.acmeKey);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    HttpResponse<String> m = t.send(t.request("/api/v1/meters", t.acmeKey).method("PATCH",
        HttpRequest.BodyPublishers.noBody()).build());
    assertThat(m.statusCode()).isIn(404, 405);
    assertThat(m.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }
}
