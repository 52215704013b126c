package dev.tally.server.metering;

import static dev.tally.server.TestingServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.json.Json;
import dev.tally.server.ServerTestBase;
import dev.tally.server.auth.KeyKind;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * OpenMeter's subjects routes on a real server and store: the upsert, list, get and delete shapes of OpenMeter's
 * {@code Subject} and {@code SubjectUpsert} (fixtures written here from its API document's examples), partial
 * updates, tenants kept apart, and bad input refused whole with every problem named.
 */
class SubjectsTest extends ServerTestBase {
  private HttpResponse<String> upsert(String key, String body) {
    return t.post("/api/v1/subjects", key, "application/json", body);
  }

  @Test
  void openMetersUpsertExampleIsStoredListedReadAndDeleted() throws Exception {
    // SubjectUpsert's documented example.
    HttpResponse<String> r = upsert(t.acmeKey, """
        [{"key": "customer-id", "displayName": "Customer Name", "metadata": {"hubspotId": "123456"},
          "currentPeriodStart": "2023-01-01T00:00:00Z", "currentPeriodEnd": "2023-02-01T00:00:00Z",
          "stripeCustomerId": "cus_JMOlctsKV8"}]""");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode s = json(r).get(0);
    assertThat(s.get("key").asText()).isEqualTo("customer-id");
    assertThat(s.get("displayName").asText()).isEqualTo("Customer Name");
    assertThat(s.get("metadata")).isEqualTo(Json.json().readTree("{\"hubspotId\": \"123456\"}"));
    assertThat(s.get("currentPeriodStart").asText()).isEqualTo("2023-01-01T00:00:00Z");
    assertThat(s.get("currentPeriodEnd").asText()).isEqualTo("2023-02-01T00:00:00Z");
    assertThat(s.get("stripeCustomerId").asText()).isEqualTo("cus_JMOlctsKV8");
    String id = s.get("id").asText();
    assertThat(id).matches("[0-9A-HJKMNP-TV-Z]{26}");

    assertThat(json(t.get("/api/v1/subjects", t.acmeKey))).hasSize(1).first().isEqualTo(s);
    assertThat(json(t.get("/api/v1/subjects/customer-id", t.acmeKey))).isEqualTo(s);
    assertThat(json(t.get("/api/v1/subjects/" + id, t.acmeKey))).isEqualTo(s);
    // Another tenant sees none of it.
    assertThat(json(t.get("/api/v1/subjects", t.globexKey))).isEmpty();
    assertThat(t.get("/api/v1/subjects/customer-id", t.globexKey).statusCode()).isEqualTo(404);
    assertThat(t.delete("/api/v1/subjects/customer-id", t.globexKey).statusCode()).isEqualTo(404);

    assertThat(t.delete("/api/v1/subjects/" + id, t.acmeKey).statusCode()).isEqualTo(204);
    HttpResponse<String> gone = t.get("/api/v1/subjects/customer-id", t.acmeKey);
    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(gone.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(json(gone).get("detail").asText()).isEqualTo("no subject 'customer-id'");
    assertThat(t.delete("/api/v1/subjects/customer-id", t.acmeKey).statusCode()).isEqualTo(404);
  }

  @Test
  void anUpsertUpdatesOnlyTheFieldsGivenNullClearsAndTheIdStays() throws Exception {
    String id = json(upsert(t.acmeKey, """
        [{"key": "c1", "displayName": "Acme Ltd", "metadata": {"crm": 7, "tier": ["gold"]}, "stripeCustomerId": "cus_1"}]
        """)).get(0).get("id").asText();
    JsonNode after = json(upsert(t.acmeKey, "[{\"key\": \"c1\", \"displayName\": \"Acme Limited\", "
        + "\"stripeCustomerId\": null}, {\"key\": \"c2\"}]"));
    assertThat(after).hasSize(2);
    JsonNode c1 = after.get(0);
    assertThat(c1.get("id").asText()).isEqualTo(id);
    assertThat(c1.get("displayName").asText()).isEqualTo("Acme Limited");
    assertThat(c1.get("metadata")).isEqualTo(Json.json().readTree("{\"crm\": 7, \"tier\": [\"gold\"]}"));
    assertThat(c1.has("stripeCustomerId")).isFalse();
    assertThat(after.get(1).fieldNames()).toIterable().containsExactly("id", "key");
    // A round trip of what was read back (with its id) is accepted.
    assertThat(upsert(t.acmeKey, "[" + c1 + "]").statusCode()).isEqualTo(200);
    assertThat(json(t.get("/api/v1/subjects", t.acmeKey))).extracting(n -> n.get("key").asText())
        .containsExactly("c1", "c2");
  }

  @Test
  void badSubjectsAreRefusedWholeWithIndexAndField() throws Exception {
    upsert(t.acmeKey, "[{\"key\": \"kept\", \"displayName\": \"Kept\"}]");
    HttpResponse<String> r = upsert(t.acmeKey, """
        [{"key": "kept", "displayName": "Changed"},
         {"displayName": "no key"},
         {"key": "x", "metadata": "not an object", "currentPeriodStart": "yesterday", "colour": "red"},
         {"key": "y", "currentPeriodStart": "2024-02-01T00:00:00Z", "currentPeriodEnd": "2024-01-01T00:00:00Z"},
         {"key": "kept"},
         {"key": "z", "id": "01HXXXXXXXXXXXXXXXXXXXXXXX"}]""");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode problems = json(r).get("problems");
    assertThat(problems).extracting(p -> p.get("index").asInt() + ":" + p.get("field").asText())
        .containsExactly("1:key", "2:colour", "2:metadata", "2:currentPeriodStart", "3:currentPeriodEnd", "4:key",
            "5:id");
    assertThat(json(t.get("/api/v1/subjects/kept", t.acmeKey)).get("displayName").asText()).isEqualTo("Kept");
    assertThat(json(t.get("/api/v1/subjects", t.acmeKey))).hasSize(1);

    HttpResponse<String> number = upsert(t.acmeKey, "[{\"key\": \"w\", \"displayName\": 5}]");
    assertThat(number.statusCode()).isEqualTo(400);
    assertThat(json(number).get("problems").get(0).get("field").asText()).isEqualTo("displayName");
    assertThat(json(number).get("problems").get(0).get("message").asText())
        .isEqualTo("must be a string of at most 1024 characters, or null");

    assertThat(upsert(t.acmeKey, "[]").statusCode()).isEqualTo(400);
    assertThat(upsert(t.acmeKey, "not json").statusCode()).isEqualTo(400);
    assertThat(t.post("/api/v1/subjects", t.acmeKey, "text/plain", "[]").statusCode()).isEqualTo(415);
  }

  @Test
  void readingNeedsAKeyAndWritingAFullOne() {
    String readOnly = t.server.keys().create("acme", KeyKind.READ_ONLY).secret();
    assertThat(t.get("/api/v1/subjects", null).statusCode()).isEqualTo(401);
    assertThat(t.get("/api/v1/subjects", readOnly).statusCode()).isEqualTo(200);
    assertThat(upsert(readOnly, "[{\"key\": \"a\"}]").statusCode()).isEqualTo(403);
    assertThat(t.delete("/api/v1/subjects/a", readOnly).statusCode()).isEqualTo(403);
  }
}
