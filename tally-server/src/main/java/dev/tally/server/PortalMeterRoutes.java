package dev.tally.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tally.core.json.Json;
import dev.tally.server.auth.Principal;
import dev.tally.server.metering.MeterRoutes;
import dev.tally.server.spi.Access;
import dev.tally.server.spi.ApiRoutes;
import dev.tally.server.spi.Routes;
import dev.tally.store.TallyStore;

/**
 * {@code GET /api/v1/portal/meters}: the meters a portal token may query (its {@code allowedMeterSlugs}, or every meter
 * of its tenant when it names none), with the same fields as {@code GET /api/v1/meters}, so that a portal page can
 * offer them without an API key.
 */
final class PortalMeterRoutes implements ApiRoutes {
  static final String PORTAL_METERS = "/api/v1/portal/meters";

  private final TallyStore store;

  PortalMeterRoutes(TallyStore store) {
    this.store = store;
  }

  @Override
  public void register(Routes routes) {
    routes.get(PORTAL_METERS, Access.PORTAL, ctx -> {
      Principal p = Routes.principal(ctx);
      ArrayNode out = Json.json().createArrayNode();
      store.meters().definitions(p.tenant()).stream()
          .filter(m -> p.allowedMeters().isEmpty() || p.allowedMeters().contains(m.slug()))
          .forEach(m -> out.add(MeterRoutes.json(m)));
      ctx.status(200).contentType("application/json").result(out.toString());
    });
  }
}
