package dev.tally.server;

import static dev.tally.server.TestingServer.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.json.Json;
import dev.tally.server.spi.Access;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keys, portal tokens and tenant isolation, on every route. */
class AuthTest extends ServerTestBase {
  static final String METER = "{\"slug\":\"calls\",\"eventType\":\"api-calls\",\"aggregation\":\"SUM\","
      + "\"valueProperty\":\"$.n\",\"groupBy\":{\"region\":\"$.region\"}}";

  @BeforeEach
  void defineAMeterAndIngest() {
    assertThat(t.post("/api/v1/meters", t.acmeKey, "application/json", METER).statusCode()).isEqualTo(201);
    String batch = "[" + event("a1", "alice", "2024-01-01T10:00:00Z", "{\"n\":5,\"region\":\"eu\"}") + ","
        + event("a2", "bob", "2024-01-01T11:00:00Z", "{\"n\":7,\"region\":\"us\"}") + "]";
    assertThat(t.ingest(t.acmeKey, "application/json", batch).statusCode()).isEqualTo(204);
  }

  /** Every tenant route, with a body where it takes one. */
  private HttpResponse<String> call(RouteSpec route, String key) {
    String path = route.path().replace("{slug}", "calls").replace("{id}", "nope").replace("{invoice}", "INV-000001")
        .replace("{line}", "1").replace("{budget}", "ops").replace("{section}", "plans")
        .replace("{subjectIdOrKey}", "alice");
    HttpRequest.Builder b = t.request(path, key);
    String body = switch (route.path()) {
      case "/api/v1/events" -> event("x", "s", "2024-01-01T00:00:00Z", "{\"n\":1}");
      case "/api/v1/portal/tokens", "/api/v1/portal/tokens/invalidate" -> "{\"subject\":\"alice\"}";
      case "/api/v1/meters/{slug}/query" -> "{\"from\":\"2024-01-01\",\"to\":\"2024-01-02\"}";
      default -> METER;
    };
    HttpRequest r = switch (route.method()) {
      case "GET" -> b.GET().build();
      case "DELETE" -> b.DELETE().build();
      case "PUT" -> b.header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build();
      default -> b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    };
    return t.send(r);
  }

  private List<RouteSpec> tenantRoutes() {
    return t.server.routes().stream()
        .filter(r -> r.access() == Access.READ || r.access() == Access.WRITE || r.access() == Access.PORTAL).toList();
  }

  @Test
  void everyTenantRouteRefusesMissingMalformedAndUnknownCredentialsAlike() throws Exception {
    String revoked = t.server.keys().create("acme", dev.tally.server.auth.KeyKind.FULL).secret();
    t.server.keys().revoke(revoked.substring(0, 16));
    for (RouteSpec route : tenantRoutes()) {
      for (String key : new String[] {null, "", "garbage", "tly_aaaaaaaaaaaa_wrongsecretwrongsecret", revoked,
          "tpt_forged.signature", t.acmeKey + "x"}) {
        HttpResponse<String> r = call(route, key);
        assertThat(r.statusCode()).as(route + " with " + key).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(Json.json().readTree(r.body()).get("detail").asText())
            .isEqualTo("a valid API key is required: send 'Authorization: Bearer <key>'");
      }
    }
    assertThat(t.storedEvents("acme")).isEqualTo(2);
  }

  @Test
  void readOnlyKeyReadsButCannotWrite() {
    for (RouteSpec route : tenantRoutes()) {
      int status = call(route, t.acmeReadKey).statusCode();
      if (route.access() == Access.READ) {
        // Allowed: answered (an absent invoice is a 404), never refused and never a server error.
        assertThat(status).as(route.toString()).isNotIn(401, 403).isLessThan(500);
      } else {
        assertThat(status).as(route.toString()).isEqualTo(403);
      }
    }
    assertThat(t.get("/api/v1/meters/calls", t.acmeKey).statusCode()).isEqualTo(200);
  }

  @Test
  void anotherTenantSeesNothingAndChangesNothingOnAnyRoute() throws Exception {
    // globex's view of acme's data: no events, no meter, no usage, by any route.
    JsonNode events = Json.json().readTree(t.get("/api/v1/events", t.globexKey).body());
    assertThat(events).isEmpty();
    assertThat(Json.json().readTree(t.get("/api/v1/meters", t.globexKey).body())).isEmpty();
    HttpResponse<String> meter = t.get("/api/v1/meters/calls", t.globexKey);
    HttpResponse<String> absent = t.get("/api/v1/meters/nosuchmeter", t.globexKey);
    assertThat(meter.statusCode()).isEqualTo(404);
    // The answer for another tenant's meter is the answer for a meter that does not exist.
    assertThat(detail(meter).replace("calls", "X")).isEqualTo(detail(absent).replace("nosuchmeter", "X"));
    assertThat(t.get("/api/v1/meters/calls/query?from=2024-01-01&to=2024-01-02", t.globexKey).statusCode())
        .isEqualTo(404);
    assertThat(t.post("/api/v1/meters/calls/query", t.globexKey, "application/json", "{}").statusCode())
        .isEqualTo(404);
    assertThat(t.delete("/api/v1/meters/calls", t.globexKey).statusCode()).isEqualTo(404);
    // globex creating a meter of the same slug makes its own; acme's is untouched.
    assertThat(t.put("/api/v1/meters/calls", t.globexKey, "{\"eventType\":\"api-calls\",\"aggregation\":\"COUNT\"}")
        .statusCode()).isEqualTo(201);
    JsonNode globexUsage = Json.json().readTree(
        t.get("/api/v1/meters/calls/query?from=2024-01-01&to=2024-01-02", t.globexKey).body());
    assertThat(globexUsage.get("data")).isEmpty();
    JsonNode acmeMeter = Json.json().readTree(t.get("/api/v1/meters/calls", t.acmeKey).body());
    assertThat(acmeMeter.get("aggregation").asText()).isEqualTo("SUM");
    JsonNode acmeUsage = Json.json().readTree(
        t.get("/api/v1/meters/calls/query?from=2024-01-01&to=2024-01-02", t.acmeKey).body());
    assertThat(acmeUsage.get("data").get(0).get("value").decimalValue()).isEqualByComparingTo("12");
    // A portal token of globex cannot see acme's alice either.
    String token = portalToken(t.globexKey, "{\"subject\":\"alice\"}");
    JsonNode portal = Json.json().readTree(
        t.get("/api/v1/portal/meters/calls/query?from=2024-01-01&to=2024-01-02", token).body());
    assertThat(portal.get("data")).isEmpty();
    assertThat(t.storedEvents("globex")).isZero();
  }

  @Test
  void portalTokenSeesOnlyItsSubjectAndOnlyThePortalRoute() throws Exception {
    String token = portalToken(t.acmeKey, "{\"subject\":\"alice\",\"allowedMeterSlugs\":[\"calls\"]}");
    JsonNode usage = Json.json().readTree(t.get(
        "/api/v1/portal/meters/calls/query?from=2024-01-01&to=2024-01-02&groupBy=region", token).body());
    assertThat(usage.get("data")).hasSize(1);
    assertThat(usage.get("data").get(0).get("subject").asText()).isEqualTo("alice");
    assertThat(usage.get("data").get(0).get("value").decimalValue()).isEqualByComparingTo("5");
    // Asking for another subject is refused, and filtering by one yields nothing of it.
    assertThat(t.get("/api/v1/portal/meters/calls/query?subject=bob", token).statusCode()).isEqualTo(400);
    JsonNode filtered = Json.json().readTree(t.get(
        "/api/v1/portal/meters/calls/query?from=2024-01-01&to=2024-01-02&filterGroupBy[subject]=bob", token).body());
    assertThat(filtered.get("data")).isEmpty();
    // Every other route refuses the token.
    for (RouteSpec route : tenantRoutes()) {
      if (route.access() != Access.PORTAL) {
        assertThat(call(route, token).statusCode()).as(route.toString()).isEqualTo(403);
      }
    }
    // And an API key may not use the portal route.
    assertThat(t.get("/api/v1/portal/meters/calls/query", t.acmeKey).statusCode()).isEqualTo(403);
  }

  @Test
  void portalTokenListsTheMetersItMayQuery() throws Exception {
    assertThat(t.post("/api/v1/meters", t.acmeKey, "application/json", METER.replace("\"calls\"", "\"other\""))
        .statusCode()).isEqualTo(201);
    String one = portalToken(t.acmeKey, "{\"subject\":\"alice\",\"allowedMeterSlugs\":[\"calls\"]}");
    JsonNode listed = Json.json().readTree(t.get("/api/v1/portal/meters", one).body());
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).get("slug").asText()).isEqualTo("calls");
    assertThat(listed.get(0).get("groupBy").has("region")).isTrue();
    String all = portalToken(t.acmeKey, "{\"subject\":\"alice\"}");
    assertThat(Json.json().readTree(t.get("/api/v1/portal/meters", all).body())).hasSize(2);
    // Another tenant's token sees its own tenant's meters (none), and a key is refused.
    assertThat(Json.json().readTree(t.get("/api/v1/portal/meters", portalToken(t.globexKey,
        "{\"subject\":\"alice\"}")).body())).isEmpty();
    assertThat(t.get("/api/v1/portal/meters", t.acmeKey).statusCode()).isEqualTo(403);
  }

  @Test
  void portalRoutesAllowBrowserPagesOfOtherOriginsAndOthersDoNot() throws Exception {
    String token = portalToken(t.acmeKey, "{\"subject\":\"alice\"}");
    HttpResponse<String> portal = t.send(t.request("/api/v1/portal/meters/calls/query", token)
        .header("Origin", "https://portal.example.com").GET().build());
    assertThat(portal.statusCode()).isEqualTo(200);
    assertThat(portal.headers().firstValue("Access-Control-Allow-Origin")).isPresent();
    HttpResponse<String> api = t.send(t.request("/api/v1/meters", t.acmeKey)
        .header("Origin", "https://portal.example.com").GET().build());
    assertThat(api.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void portalTokensCanBeInvalidatedByIdOrSubjectWithinTheirTenantOnly() throws Exception {
    JsonNode alice = Json.json().readTree(t.post("/api/v1/portal/tokens", t.acmeKey, "application/json",
        "{\"subject\":\"alice\"}").body());
    String bob = portalToken(t.acmeKey, "{\"subject\":\"bob\"}");
    String query = "/api/v1/portal/meters/calls/query";
    // Another tenant naming acme's token id or subject changes nothing for acme.
    assertThat(t.post("/api/v1/portal/tokens/invalidate", t.globexKey, "application/json",
        "{\"id\":\"" + alice.get("id").asText() + "\",\"subject\":\"bob\"}").statusCode()).isEqualTo(204);
    assertThat(t.get(query, alice.get("token").asText()).statusCode()).isEqualTo(200);
    assertThat(t.get(query, bob).statusCode()).isEqualTo(200);
    assertThat(t.post("/api/v1/portal/tokens/invalidate", t.acmeKey, "application/json",
        "{\"id\":\"" + alice.get("id").asText() + "\"}").statusCode()).isEqualTo(204);
    assertThat(t.get(query, alice.get("token").asText()).statusCode()).isEqualTo(401);
    assertThat(t.get(query, bob).statusCode()).isEqualTo(200);
    assertThat(t.post("/api/v1/portal/tokens/invalidate", t.acmeKey, "application/json",
        "{\"subject\":\"bob\"}").statusCode()).isEqualTo(204);
    assertThat(t.get(query, bob).statusCode()).isEqualTo(401);
    assertThat(t.post("/api/v1/portal/tokens/invalidate", t.acmeKey, "application/json", "{}").statusCode())
        .isEqualTo(400);
  }

  @Test
  void portalTokenIsLimitedToItsMeters() throws Exception {
    t.post("/api/v1/meters", t.acmeKey, "application/json",
        "{\"slug\":\"other\",\"eventType\":\"api-calls\",\"aggregation\":\"COUNT\"}");
    String token = portalToken(t.acmeKey, "{\"subject\":\"alice\",\"allowedMeterSlugs\":[\"calls\"]}");
    assertThat(t.get("/api/v1/portal/meters/other/query", token).statusCode()).isEqualTo(403);
  }

  @Test
  void tamperedPortalTokenIsRefused() throws Exception {
    String token = portalToken(t.acmeKey, "{\"subject\":\"alice\"}");
    String body = token.substring(4, token.indexOf('.'));
    String claims = new String(java.util.Base64.getUrlDecoder().decode(body), java.nio.charset.StandardCharsets.UTF_8);
    String forged = "tpt_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        claims.replace("alice", "bob").getBytes(java.nio.charset.StandardCharsets.UTF_8)) + token.substring(
        token.indexOf('.'));
    assertThat(t.get("/api/v1/portal/meters/calls/query", forged).statusCode()).isEqualTo(401);
  }

  @Test
  void portalTokenRequestIsValidated() throws Exception {
    HttpResponse<String> r = t.post("/api/v1/portal/tokens", t.acmeKey, "application/json",
        "{\"expiresAt\":\"2000-01-01T00:00:00Z\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    List<String> fields = Json.json().readTree(r.body()).findValuesAsText("field");
    assertThat(fields).containsExactlyInAnyOrder("subject", "expiresAt");
  }

  @Test
  void revokedKeyStopsWorkingAtOnce() {
    var created = t.server.keys().create("acme", dev.tally.server.auth.KeyKind.FULL);
    assertThat(t.get("/api/v1/meters", created.secret()).statusCode()).isEqualTo(200);
    t.server.keys().revoke(created.key().prefix());
    assertThat(t.get("/api/v1/meters", created.secret()).statusCode()).isEqualTo(401);
  }

  @Test
  void keysAreStoredOnlyAsHashes() {
    String all = t.store.read(c -> {
      StringBuilder sb = new StringBuilder();
      try (var st = c.createStatement(); var rs = st.executeQuery("SELECT * FROM api_keys")) {
        while (rs.next()) {
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            sb.append(rs.getString(i)).append('|');
          }
        }
      }
      return sb.toString();
    });
    // tly_<id>_<secret>: the secret is base64url and may itself contain '_', so cut after the id's separator
    // (taking the last '_' could leave one character, which a hash's text can contain by chance).
    String secretPart = t.acmeKey.substring(t.acmeKey.indexOf('_', "tly_".length()) + 1);
    assertThat(secretPart).hasSize(43);
    assertThat(all).doesNotContain(secretPart).contains(t.acmeKey.substring(4, 16));
  }

  @Test
  void adminRoutesNeedTheAdminToken() {
    assertThat(t.get("/admin/v1/tenants", null).statusCode()).isEqualTo(401);
    assertThat(t.get("/admin/v1/tenants", t.acmeKey).statusCode()).isEqualTo(401);
    String admin = t.server.adminFile().orElseThrow().token();
    assertThat(t.get("/admin/v1/tenants", admin).body()).isEqualTo("[\"acme\",\"globex\"]");
  }

  private String portalToken(String key, String body) throws Exception {
    HttpResponse<String> r = t.post("/api/v1/portal/tokens", key, "application/json", body);
    assertThat(r.statusCode()).isEqualTo(200);
    return Json.json().readTree(r.body()).get("token").asText();
  }

  private static String detail(HttpResponse<String> r) throws Exception {
    return Json.json().readTree(r.body()).get("detail").asText();
  }
}
