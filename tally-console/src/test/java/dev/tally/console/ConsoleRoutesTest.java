package dev.tally.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.json.Json;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The console's files as served, their headers, and what its code may and may not do. */
class ConsoleRoutesTest {
  final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(ConsoleFixture.get().base() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void thePageAndItsFilesCarryAStrictPolicy() throws Exception {
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
    assertThat(csp).contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
        "frame-ancestors 'none'").doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    // No inline script or style in the page itself (the policy would refuse it anyway).
    assertThat(page.body()).doesNotContainPattern("<script(?![^>]*\\ssrc=)").doesNotContain("<style", "style=");
    for (String f : new ConsoleRoutes().fileNames()) {
      HttpResponse<String> r = get("/console/" + f);
      assertThat(r.statusCode()).as(f).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Security-Policy")).as(f).contains(csp);
      String etag = r.headers().firstValue("ETag").orElseThrow();
      HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(ConsoleFixture.get().base()
          + "/console/" + f)).header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(again.statusCode()).as(f).isEqualTo(304);
    }
    HttpResponse<String> uplot = get("/console/vendor/uPlot.iife.min.js");
    assertThat(uplot.statusCode()).isEqualTo(200);
    assertThat(uplot.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
    assertThat(get("/console/vendor/uPlot-LICENSE.txt").body()).contains("MIT");
    assertThat(get("/console/nope.js").statusCode()).isEqualTo(404);
    assertThat(get("/console/..%2Fconsole.css").statusCode()).isEqualTo(404);
  }

  @Test
  void theCodeNeverWritesMarkupNorEvaluatesText() throws Exception {
    Pattern forbidden = Pattern.compile("innerHTML|outerHTML|insertAdjacentHTML|document\\.write|\\beval\\(|new Function"
        + "|setAttribute\\('style'|\\.cssText");
    for (String f : new ConsoleRoutes().fileNames()) {
      if (!f.endsWith(".js")) {
        continue;
      }
      try (InputStream in = ConsoleRoutes.class.getResourceAsStream(ConsoleRoutes.WEB + f)) {
        String code = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        Matcher m = forbidden.matcher(code.replaceAll("(?m)^\\s*//.*$", ""));
        assertThat(m.find()).as("%s uses %s", f, m.find(0) ? m.group() : "").isFalse();
      }
    }
  }

  /** The OpenAPI document's paths as patterns: {name} matches one segment. */
  static Set<Pattern> documentedPaths() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
        ConsoleFixture.get().base() + "/api/openapi.yaml")).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode doc = Json.yaml().readTree(r.body());
    Set<Pattern> out = new java.util.LinkedHashSet<>();
    doc.get("paths").fieldNames().forEachRemaining(p -> out.add(Pattern.compile(
        Pattern.quote(p).replaceAll("\\{[A-Za-z]+}", "\\\\E[^/]+\\\\Q"))));
    return out;
  }

  @Test
  void documentedPathsAreMatchedAsTemplates() throws Exception {
    Set<Pattern> paths = documentedPaths();
    assertThat(paths.stream().anyMatch(p -> p.matcher("/api/v1/invoices/INV-000402/lines/2/events").matches()))
        .isTrue();
    assertThat(paths.stream().anyMatch(p -> p.matcher("/api/v1/invoices/INV-000402/nothing").matches())).isFalse();
    assertThat(new TreeSet<>(paths.stream().map(Pattern::pattern).toList())).isNotEmpty();
  }
}
