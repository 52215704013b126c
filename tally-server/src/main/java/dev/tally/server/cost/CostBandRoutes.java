package dev.tally.server.cost;

import static java.util.Objects.requireNonNull;

import dev.tally.core.cost.ChargeScope;
import dev.tally.core.cost.CostPeriod;
import dev.tally.core.cost.Horizon;
import dev.tally.core.cost.ReportTable;
import dev.tally.core.format.UsageFormats;
import dev.tally.server.spi.Access;
import dev.tally.server.spi.ApiRoutes;
import dev.tally.server.spi.Routes;
import dev.tally.store.cost.CostBands;
import dev.tally.store.cost.CostScope;
import dev.tally.store.cost.CostStore;
import io.javalin.http.Context;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The day-by-day figures behind the anomaly and forecast reports, for charts (the web console draws them as bands):
 * {@code GET /api/v1/reports/expected} (each judged day of a scope's daily total: actual, expected, band, anomaly) and
 * {@code GET /api/v1/reports/forecast-days} (each day of the forecast period: actual, or forecast with an 80% band).
 * Parameters and answers as {@link CostRoutes}' reports: {@code filter}, {@code from}, {@code to}, {@code zone},
 * {@code cost}, {@code charges} (usage by default), {@code minImpact}, {@code minPercent}; {@code horizon} and
 * {@code asOf} for the forecast; {@code format} json, csv or table.
 */
public final class CostBandRoutes implements ApiRoutes {
  static final String EXPECTED = "/api/v1/reports/expected";
  static final String FORECAST_DAYS = "/api/v1/reports/forecast-days";

  private final CostStore cost;

  public CostBandRoutes(CostStore cost) {
    this.cost = requireNonNull(cost, "cost is null");
  }

  @Override
  public void register(Routes routes) {
    routes.get(EXPECTED, Access.READ, ctx -> respond(ctx, bands().expected(scope(ctx), CostRoutes.settings(ctx))));
    routes.get(FORECAST_DAYS, Access.READ, ctx -> {
      CostScope scope = scope(ctx);
      Horizon horizon = CostRoutes.parse(ctx, "horizon", true, Horizon::parse).orElseThrow();
      LocalDate asOf = Optional.ofNullable(ctx.queryParam("asOf")).map(s -> CostPeriod.date("asOf", s))
          .orElseGet(() -> LocalDate.now(cost.store().clock().withZone(scope.zone())));
      respond(ctx, bands().forecastDays(scope, horizon, asOf));
    });
  }

  private CostBands bands() {
    return new CostBands(cost.store());
  }

  private static CostScope scope(Context ctx) {
    return CostRoutes.scope(ctx, Routes.principal(ctx).tenant(), ChargeScope.USAGE);
  }

  private static void respond(Context ctx, ReportTable table) {
    UsageFormats.Format format = CostRoutes.parse(ctx, "format", false, UsageFormats.Format::parse)
        .orElse(UsageFormats.Format.JSON);
    ctx.status(200);
    ctx.contentType(switch (format) {
      case JSON -> "application/json";
      case CSV -> "text/csv; charset=utf-8";
      case TABLE -> "text/plain; charset=utf-8";
    });
    ctx.result(format == UsageFormats.Format.JSON ? table.jsonNode().toString() : table.render(format));
  }
}
