package dev.tally.server;

import dev.tally.server.cost.CostAdminRoutes;
import dev.tally.server.cost.CostBandRoutes;
import dev.tally.server.cost.CostRoutes;
import dev.tally.server.pricing.PricingRoutes;
import dev.tally.server.spi.ApiRoutes;
import dev.tally.store.TallyStore;
import dev.tally.store.cost.CostStore;
import dev.tally.store.pricing.PricingStore;
import java.util.List;

/**
 * The route groups of the feature areas that {@code tally serve} adds to the server's own, in one place, so that the
 * command and the API contract test serve exactly the same routes.
 */
public final class ProductRoutes {
  private ProductRoutes() {}

  /** Every feature area's routes over this store. */
  public static List<ApiRoutes> all(TallyStore store) {
    return List.of(new PricingRoutes(PricingStore.open(store)), new CostRoutes(CostStore.on(store)),
        new CostAdminRoutes(CostStore.on(store)), new CostBandRoutes(CostStore.on(store)), new PortalMeterRoutes(store));
  }
}
