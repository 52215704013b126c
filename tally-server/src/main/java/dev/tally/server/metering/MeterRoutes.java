package dev.tally.server.metering;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.api.ErrorCode;
import dev.tally.api.Meter;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.json.Json;
import dev.tally.core.meters.MeterDefinitions;
import dev.tally.server.auth.Principal;
import dev.tally.server.spi.Access;
import dev.tally.server.spi.ApiRoutes;
import dev.tally.server.spi.Bodies;
import dev.tally.server.spi.HttpProblem;
import dev.tally.server.spi.Routes;
import dev.tally.store.MeterStore.MeterChange;
import dev.tally.store.StoredMeter;
import dev.tally.store.TallyStore;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;

/**
 * Meters of the caller's tenant: {@code GET/POST /api/v1/meters}, {@code GET/PUT/DELETE /api/v1/meters/{slug}}.
 *
 * <p>A meter is answered with OpenMeter's fields ({@code slug}, {@code description}, {@code eventType},
 * {@code aggregation}, {@code valueProperty}, {@code groupBy}, {@code eventFrom}) plus {@code id} and {@code name},
 * both the slug, for OpenMeter clients that expect them. Creating or changing a meter recomputes its values from the
 * stored events; the answer's {@code backfill} says how many events were counted and how many did not fit.
 * {@code PUT} takes a whole definition or only the fields to change (as OpenMeter's update does).
 */
public final class MeterRoutes implements ApiRoutes {
  static final String LIST = "/api/v1/meters";
  static final String ONE = "/api/v1/meters/{slug}";

  private final TallyStore store;
  // Makes "create unless it exists" one step, so that of two concurrent creates of a slug one gets 409.
  private final Object createLock = new Object();

  public MeterRoutes(TallyStore store) {
    this.store = store;
  }

  @Override
  public void register(Routes routes) {
    routes.get(LIST, Access.READ, this::list);
    routes.post(LIST, Access.WRITE, this::create);
    routes.get(ONE, Access.READ, this::get);
    routes.put(ONE, Access.WRITE, this::update);
    routes.delete(ONE, Access.WRITE, this::delete);
  }

  private void list(Context ctx) {
    Principal p = Routes.principal(ctx);
    ArrayNode out = Json.json().createArrayNode();
    store.meters().definitions(p.tenant()).forEach(m -> out.add(json(m)));
    respond(ctx, 200, out);
  }

  private void get(Context ctx) {
    Principal p = Routes.principal(ctx);
    respond(ctx, 200, json(require(p, ctx.pathParam("slug")).meter()));
  }

  private void create(Context ctx) {
    Principal p = Routes.principal(ctx);
    Meter meter = MeterDefinitions.parseOne(Bodies.jsonObject(ctx));
    MeterChange change;
    synchronized (createLock) {
      if (store.meters().find(p.tenant(), meter.slug()).isPresent()) {
        throw new TallyException(ErrorCode.CONFLICT, "meter '" + meter.slug() + "' already exists; change it with PUT "
            + LIST + "/" + meter.slug(), List.of(Problem.of("slug", "already exists", meter.slug())));
      }
      change = store.meters().put(p.tenant(), meter);
    }
    ctx.header("Location", LIST + "/" + meter.slug());
    respond(ctx, 201, withBackfill(meter, change));
  }

  private void update(Context ctx) {
    Principal p = Routes.principal(ctx);
    String slug = ctx.pathParam("slug");
    JsonNode body = Bodies.jsonObject(ctx);
    JsonNode givenSlug = body.get("slug");
    if (givenSlug != null && !givenSlug.isNull() && !slug.equals(givenSlug.asText())) {
      throw HttpProblem.badRequest("the body's slug differs from the path's",
          List.of(Problem.of("slug", "must be '" + slug + "' (the path's) or absent", givenSlug.asText())));
    }
    Optional<StoredMeter> existing = store.meters().find(p.tenant(), slug);
    ObjectNode merged = existing.map(m -> MeterDefinitions.toJson(m.meter())).orElseGet(() -> {
      ObjectNode n = Json.json().createObjectNode();
      n.put("slug", slug);
      return n;
    });
    // A field sent as null is removed (valueProperty when switching to COUNT); absent fields keep their values.
    body.properties().forEach(f -> {
      if (f.getValue().isNull()) {
        merged.remove(f.getKey());
      } else {
        merged.set(f.getKey(), f.getValue());
      }
    });
    merged.put("slug", slug);
    Meter meter = MeterDefinitions.parseOne(merged);
    MeterChange change = store.meters().put(p.tenant(), meter);
    respond(ctx, existing.isPresent() ? 200 : 201, withBackfill(meter, change));
  }

  private void delete(Context ctx) {
    Principal p = Routes.principal(ctx);
    String slug = ctx.pathParam("slug");
    require(p, slug);
    store.meters().delete(p.tenant(), slug);
    ctx.status(204);
  }

  private StoredMeter require(Principal p, String slug) {
    return store.meters().find(p.tenant(), slug)
        .orElseThrow(() -> new TallyException(ErrorCode.NOT_FOUND, "no meter '" + slug + "'"));
  }

  public static ObjectNode json(Meter m) {
    ObjectNode n = Json.json().createObjectNode();
    n.put("id", m.slug());
    n.put("name", m.slug());
    n.setAll(MeterDefinitions.toJson(m));
    return n;
  }

  private static ObjectNode withBackfill(Meter meter, MeterChange change) {
    ObjectNode n = json(meter);
    ObjectNode b = n.putObject("backfill");
    b.put("change", change.change().name());
    b.put("counted", change.backfilled());
    b.put("skipped", change.skipped());
    ArrayNode sample = b.putArray("skippedSample");
    change.skippedSample().forEach(sample::add);
    return n;
  }

  private static void respond(Context ctx, int status, JsonNode body) {
    ctx.status(status);
    ctx.contentType("application/json");
    ctx.result(body.toString());
  }
}
