package dev.tally.cli.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.api.ErrorCode;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.json.Json;
import dev.tally.server.AdminFile;
import dev.tally.server.auth.KeyKind;
import dev.tally.store.export.ExportReport;
import dev.tally.store.export.LakeExport;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Administration through a running server's loopback admin routes, authorised by its {@link AdminFile}. */
final class RemoteAdmin implements Admin {
  private final AdminFile admin;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  RemoteAdmin(AdminFile admin) {
    this.admin = admin;
  }

  /** Whether the server of the admin file answers at all (a stale file's does not). */
  boolean reachable() {
    try {
      send(HttpRequest.newBuilder(admin.url().resolve("/healthz")).timeout(Duration.ofSeconds(3)).GET().build());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public boolean createTenant(String id) {
    ObjectNode body = Json.json().createObjectNode().put("id", id);
    return call("POST", "/admin/v1/tenants", body).get("created").asBoolean();
  }

  @Override
  public List<String> tenants() {
    List<String> out = new ArrayList<>();
    call("GET", "/admin/v1/tenants", null).forEach(n -> out.add(n.asText()));
    return out;
  }

  @Override
  public Created createKey(String tenant, KeyKind kind) {
    ObjectNode body = Json.json().createObjectNode().put("tenant", tenant).put("kind", kind.name());
    JsonNode n = call("POST", "/admin/v1/keys", body);
    return new Created(row(n), n.get("key").asText());
  }

  @Override
  public List<KeyRow> keys(Optional<String> tenant) {
    String q = tenant.map(t -> "?tenant=" + URLEncoder.encode(t, StandardCharsets.UTF_8)).orElse("");
    List<KeyRow> out = new ArrayList<>();
    call("GET", "/admin/v1/keys" + q, null).forEach(n -> out.add(row(n)));
    return out;
  }

  @Override
  public KeyRow revoke(String idOrPrefix) {
    return row(call("DELETE", "/admin/v1/keys/" + URLEncoder.encode(idOrPrefix, StandardCharsets.UTF_8), null));
  }

  @Override
  public ExportReport export(LakeExport.Request request) {
    ObjectNode body = Json.json().createObjectNode().put("out", request.out().toAbsolutePath().toString());
    request.tenant().ifPresent(t -> body.put("tenant", t));
    request.from().ifPresent(f -> body.put("from", f.toString()));
    request.to().ifPresent(t -> body.put("to", t.toString()));
    // An export of a large store takes minutes: wait for it rather than the admin calls' 30 seconds.
    return ExportReport.fromJson(call("POST", "/admin/v1/exports", body, Duration.ofHours(6)));
  }

  @Override
  public String where() {
    return "through the running server at " + admin.url();
  }

  @Override
  public void close() {
    // HttpClient needs no closing on Java 17.
  }

  private static KeyRow row(JsonNode n) {
    return new KeyRow(n.get("prefix").asText(), n.get("tenant").asText(), n.get("kind").asText(),
        n.get("createdAt").asText(), Optional.ofNullable(n.get("revokedAt")).map(JsonNode::asText));
  }

  private JsonNode call(String method, String path, JsonNode body) {
    return call(method, path, body, Duration.ofSeconds(30));
  }

  private JsonNode call(String method, String path, JsonNode body, Duration timeout) {
    URI uri = admin.url().resolve(path);
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
        .header("Authorization", "Bearer " + admin.token());
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body.toString()));
    HttpResponse<String> r;
    try {
      r = send(b.build());
    } catch (IOException e) {
      throw new TallyException(ErrorCode.UNAVAILABLE, "the running server at " + admin.url()
          + " did not answer: " + e.getMessage(), e);
    }
    JsonNode n;
    try {
      n = Json.json().readTree(r.body());
    } catch (IOException e) {
      throw new TallyException(ErrorCode.INTERNAL, "the server answered " + r.statusCode() + " with a body that is "
          + "not JSON", e);
    }
    if (r.statusCode() >= 300) {
      List<Problem> problems = new ArrayList<>();
      JsonNode ps = n.get("problems");
      if (ps != null) {
        ps.forEach(p -> problems.add(Problem.of(p.get("field").asText(), p.get("message").asText())));
      }
      ErrorCode code = switch (r.statusCode()) {
        case 400 -> ErrorCode.INVALID_INPUT;
        case 404 -> ErrorCode.NOT_FOUND;
        case 409 -> ErrorCode.CONFLICT;
        case 503 -> ErrorCode.UNAVAILABLE;
        default -> ErrorCode.INTERNAL;
      };
      throw new TallyException(code, n.path("detail").asText("the server answered " + r.statusCode()), problems);
    }
    return n;
  }

  private HttpResponse<String> send(HttpRequest r) throws IOException {
    try {
      return http.send(r, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
