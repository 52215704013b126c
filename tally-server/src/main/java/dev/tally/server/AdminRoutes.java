package dev.tally.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.api.Problem;
import dev.tally.core.json.Json;
import dev.tally.server.auth.ApiKey;
import dev.tally.server.auth.ApiKeys;
import dev.tally.server.auth.CreatedKey;
import dev.tally.server.auth.KeyKind;
import dev.tally.server.spi.Access;
import dev.tally.server.spi.ApiRoutes;
import dev.tally.server.spi.Bodies;
import dev.tally.server.spi.HttpProblem;
import dev.tally.server.spi.JsonFields;
import dev.tally.server.spi.Routes;
import dev.tally.store.TallyStore;
import dev.tally.store.export.LakeExport;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Local administration while the server holds the store: tenants, API keys and lake exports, for the CLI's
 * {@code tally tenant}, {@code tally key} and {@code tally export} commands. Loopback callers with the admin token
 * only (see {@link AdminFile}).
 */
final class AdminRoutes implements ApiRoutes {
  static final String TENANTS = "/admin/v1/tenants";
  static final String KEYS = "/admin/v1/keys";
  static final String KEY = "/admin/v1/keys/{id}";
  static final String EXPORTS = "/admin/v1/exports";

  private final TallyStore store;
  private final ApiKeys keys;

  AdminRoutes(TallyStore store, ApiKeys keys) {
    this.store = store;
    this.keys = keys;
  }

  @Override
  public void register(Routes routes) {
    routes.get(TENANTS, Access.ADMIN, ctx -> {
      ArrayNode a = Json.json().createArrayNode();
      store.tenants().forEach(a::add);
      respond(ctx, 200, a);
    });
    routes.post(TENANTS, Access.ADMIN, ctx -> {
      String id = JsonFields.text(Bodies.jsonObject(ctx), "id");
      boolean created = store.ensureTenant(id);
      ObjectNode n = Json.json().createObjectNode();
      n.put("id", id);
      n.put("created", created);
      respond(ctx, created ? 201 : 200, n);
    });
    routes.get(KEYS, Access.ADMIN, ctx -> {
      ArrayNode a = Json.json().createArrayNode();
      keys.list(Optional.ofNullable(ctx.queryParam("tenant"))).forEach(k -> a.add(json(k)));
      respond(ctx, 200, a);
    });
    routes.post(KEYS, Access.ADMIN, ctx -> {
      JsonNode body = Bodies.jsonObject(ctx);
      String tenant = JsonFields.text(body, "tenant");
      KeyKind kind = KeyKind.FULL;
      JsonNode k = body.get("kind");
      if (k != null && !k.isNull()) {
        try {
          kind = KeyKind.valueOf(k.asText().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
          throw HttpProblem.badRequest("invalid key kind",
              List.of(Problem.of("kind", "must be FULL or READ_ONLY", k.asText())));
        }
      }
      CreatedKey created = keys.create(tenant, kind);
      ObjectNode n = json(created.key());
      n.put("key", created.secret());
      respond(ctx, 201, n);
    });
    // tally export parquet while the server holds the store: the export runs here, on the server's store.
    routes.post(EXPORTS, Access.ADMIN, ctx -> {
      JsonNode body = Bodies.jsonObject(ctx);
      LakeExport.Request request = new LakeExport.Request(Path.of(JsonFields.text(body, "out")),
          JsonFields.optionalText(body, "tenant"),
          JsonFields.optionalText(body, "from").map(f -> instant("from", f)),
          JsonFields.optionalText(body, "to").map(t -> instant("to", t)));
      respond(ctx, 200, new LakeExport(store).export(request).toJson());
    });
    routes.delete(KEY, Access.ADMIN, ctx -> respond(ctx, 200, json(keys.revoke(ctx.pathParam("id")))));
  }

  /** A key's description as JSON, the same for the admin routes and the CLI. */
  static ObjectNode json(ApiKey k) {
    ObjectNode n = Json.json().createObjectNode();
    n.put("id", k.id());
    n.put("prefix", k.prefix());
    n.put("tenant", k.tenant());
    n.put("kind", k.kind().name());
    n.put("createdAt", k.createdAt().toString());
    k.revokedAt().ifPresent(r -> n.put("revokedAt", r.toString()));
    return n;
  }

  private static Instant instant(String field, String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw HttpProblem.badRequest("'" + field + "' must be an RFC 3339 instant",
          List.of(Problem.of(field, "must be an RFC 3339 instant such as 2024-04-01T00:00:00Z", text)));
    }
  }

  private static void respond(Context ctx, int status, JsonNode body) {
    ctx.status(status);
    ctx.contentType("application/json");
    ctx.result(body.toString());
  }
}
