/**
 * Tally's HTTP API on Javalin: OpenMeter-compatible ingestion and meter queries, meters, portal tokens, API keys,
 * health and metrics. {@link dev.tally.server.TallyServer} is the one entry point.
 *
 * <h2>Adding a route group (cost reports, pricing...)</h2>
 * A feature area implements {@link dev.tally.server.spi.ApiRoutes} and registers its handlers with
 * {@link dev.tally.server.spi.Routes}, naming for each route who may call it ({@link dev.tally.server.spi.Access}):
 * <pre>{@code
 * final class CostRoutes implements ApiRoutes {
 *   public void register(Routes routes) {
 *     routes.get("/api/v1/costs/{report}", Access.READ, ctx -> {
 *       Principal p = Routes.principal(ctx);      // p.tenant() confines everything the handler reads
 *       ...
 *     });
 *   }
 * }
 * TallyServer.start(store, ServerOptions.defaults().withExtraRoutes(List.of(new CostRoutes(...))));
 * }</pre>
 * The server then authenticates and authorises every call, counts it in flight for graceful shutdown, logs and
 * measures it, and renders a thrown {@link dev.tally.api.TallyException} or {@link dev.tally.server.spi.HttpProblem} as
 * {@code application/problem+json}. Add the new paths to {@code openapi.yaml} in this module's resources: a test
 * fails while a served route is missing from it, or a documented one is not served.
 *
 * <h2>Rules every handler keeps</h2>
 * <ul>
 *   <li>Read and write only the principal's tenant; never take a tenant from the request.</li>
 *   <li>Answer "not found" the same whether a thing does not exist or belongs to another tenant.</li>
 *   <li>Acknowledge writes only after they commit.</li>
 * </ul>
 */
package dev.tally.server;
