package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.json.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API document is kept true: every route in it is served, and every route served is in it. */
class OpenApiContractTest {
  private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch", "head", "options");

  @TempDir Path dir;

  @Test
  void documentAndServedRoutesAreTheSame() throws Exception {
    try (TestingServer t = new TestingServer(dir)) {
      HttpResponse<String> r = t.get("/api/openapi.yaml", null);
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode doc = Json.yaml().readTree(r.body());
      assertThat(doc.get("openapi").asText()).startsWith("3.1");
      Set<String> documented = new TreeSet<>();
      doc.get("paths").properties().forEach(path -> path.getValue().fieldNames().forEachRemaining(m -> {
        if (METHODS.contains(m)) {
          documented.add(m.toUpperCase(Locale.ROOT) + " " + path.getKey());
        }
      }));
      Set<String> served = new TreeSet<>();
      t.server.routes().forEach(route -> served.add(route.method() + " " + route.path()));
      assertThat(documented).isEqualTo(served);
      // And each is really routed: none answers "no such route".
      for (RouteSpec route : t.server.routes()) {
        // Any path parameter: a line number must be a number, the others any name.
        String path = route.path().replace("{line}", "1").replaceAll("\\{[A-Za-z]+}", "x");
        HttpResponse<String> answer = t.send(t.request(path, null)
            .method(route.method(), java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertThat(answer.body()).as(route.toString()).doesNotContain("no such route");
      }
    }
  }

  @Test
  void everyDocumentedOperationHasAnIdAndResponses() throws Exception {
    JsonNode doc = Json.yaml().readTree(OpsRoutes.openApiDocument());
    Set<String> ids = new TreeSet<>();
    doc.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
      if (METHODS.contains(op.getKey())) {
        assertThat(op.getValue().has("responses")).as(path.getKey() + " " + op.getKey()).isTrue();
        assertThat(ids.add(op.getValue().get("operationId").asText())).as("unique operationId").isTrue();
      }
    }));
    assertThat(ids).contains("ingestEvents", "listEvents", "queryMeter", "queryMeterPost", "createPortalToken");
  }

  @Test
  void everyReferenceResolves() throws Exception {
    JsonNode doc = Json.yaml().readTree(OpsRoutes.openApiDocument());
    List<String> refs = doc.findValuesAsText("$ref");
    assertThat(refs).isNotEmpty();
    for (String ref : refs) {
      assertThat(ref).startsWith("#/");
      assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
    }
  }
}
