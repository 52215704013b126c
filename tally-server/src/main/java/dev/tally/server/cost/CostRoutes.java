package dev.tally.server.cost;

import static java.util.Objects.requireNonNull;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.cost.AnomalySettings;
import dev.tally.core.cost.ChargeScope;
import dev.tally.core.cost.CostMetric;
import dev.tally.core.cost.CostPeriod;
import dev.tally.core.cost.Horizon;
import dev.tally.core.cost.ReportTable;
import dev.tally.core.format.UsageFormats;
import dev.tally.core.time.Timestamps;
import dev.tally.server.spi.Access;
import dev.tally.server.spi.ApiRoutes;
import dev.tally.server.spi.Routes;
import dev.tally.store.cost.CostColumn;
import dev.tally.store.cost.CostFilter;
import dev.tally.store.cost.CostInsights;
import dev.tally.store.cost.CostScope;
import dev.tally.store.cost.CostStore;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The cost reports over HTTP: {@code GET /api/v1/reports/{totals,growth,series,peaks,explain,anomalies,forecast}},
 * {@code GET /api/v1/budgets} and {@code GET /api/v1/alerts}, for the caller's tenant.
 *
 * <p>Query parameters are the command line's flags without dashes, camel-cased ({@code by}, {@code filter}
 * (repeatable), {@code from}, {@code to}, {@code zone}, {@code cost}, {@code charges}, {@code top}, {@code base},
 * {@code compare}, {@code window}, {@code cause}, {@code minImpact}, {@code minPercent}, {@code horizon},
 * {@code asOf}); {@code format} is {@code json} (default), {@code csv} or {@code table}. The JSON body is the report
 * table of the CLI's {@code --format json}: {@code {report, currency, rows, notes}}.
 */
public final class CostRoutes implements ApiRoutes {
  /** The reports, each at {@code /api/v1/reports/NAME}. */
  static final List<String> REPORTS = List.of("totals", "growth", "series", "peaks", "explain", "anomalies",
      "forecast");
  static final String BUDGETS = "/api/v1/budgets";
  static final String ALERTS = "/api/v1/alerts";

  private final CostStore cost;

  public CostRoutes(CostStore cost) {
    this.cost = requireNonNull(cost, "cost is null");
  }

  @Override
  public void register(Routes routes) {
    for (String name : REPORTS) {
      routes.get("/api/v1/reports/" + name, Access.READ, ctx -> report(ctx, name));
    }
    routes.get(BUDGETS, Access.READ, this::budgets);
    routes.get(ALERTS, Access.READ, ctx -> respond(ctx, cost.alerts().list(Routes.principal(ctx).tenant())));
  }

  private void report(Context ctx, String report) {
    String tenant = Routes.principal(ctx).tenant();
    ChargeScope defaultCharges = report.equals("totals") ? ChargeScope.ALL : ChargeScope.USAGE;
    CostScope scope = scope(ctx, tenant, defaultCharges);
    if ((report.equals("growth") || report.equals("explain")) && (scope.from().isPresent() || scope.to().isPresent())) {
      throw TallyException.invalid(Problem.of(scope.from().isPresent() ? "from" : "to", report
          + " compares 'base' and 'compare'; 'from' and 'to' do not apply"));
    }
    ReportTable table = switch (report) {
      case "totals" -> cost.reports().totals(scope, column(ctx, "by", true).orElseThrow(), integer(ctx, "top", 10));
      case "growth" -> cost.reports().growth(scope, column(ctx, "by", true).orElseThrow(), period(ctx, "base"),
          period(ctx, "compare"));
      case "series" -> cost.reports().series(scope, window(ctx), column(ctx, "by", false));
      case "peaks" -> cost.reports().peaks(scope, window(ctx), integer(ctx, "top", 3));
      case "explain" -> cost.insights().explain(scope, period(ctx, "base"), period(ctx, "compare"),
          columns(ctx, "by"), integer(ctx, "top", 5));
      case "anomalies" -> cost.insights().anomalies(scope, column(ctx, "by", false), settings(ctx),
          columns(ctx, "cause"));
      case "forecast" -> cost.insights().forecast(scope, parse(ctx, "horizon", true, Horizon::parse).orElseThrow(),
          asOf(ctx, scope.zone()));
      default -> throw new IllegalStateException("a report is routed but not built: " + report);
    };
    respond(ctx, table);
  }

  private void budgets(Context ctx) {
    ZoneId zone = zone(ctx);
    respond(ctx, cost.budgets().status(Routes.principal(ctx).tenant(), asOf(ctx, zone), zone));
  }

  private static void respond(Context ctx, ReportTable table) {
    UsageFormats.Format format = parse(ctx, "format", false, UsageFormats.Format::parse)
        .orElse(UsageFormats.Format.JSON);
    ctx.status(200);
    ctx.contentType(switch (format) {
      case JSON -> "application/json";
      case CSV -> "text/csv; charset=utf-8";
      case TABLE -> "text/plain; charset=utf-8";
    });
    ctx.result(format == UsageFormats.Format.JSON ? table.jsonNode().toString() : table.render(format));
  }

  static CostScope scope(Context ctx, String tenant, ChargeScope defaultCharges) {
    List<CostFilter> filters = new ArrayList<>();
    for (String f : ctx.queryParams("filter")) {
      filters.add(CostFilter.parse("filter", f));
    }
    Optional<LocalDate> from = Optional.ofNullable(ctx.queryParam("from")).map(s -> CostPeriod.date("from", s));
    Optional<LocalDate> to = Optional.ofNullable(ctx.queryParam("to")).map(s -> CostPeriod.date("to", s));
    if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
      throw TallyException.invalid(Problem.of("to", "must be after 'from' " + from.get() + " (to is exclusive)",
          to.get().toString()));
    }
    return new CostScope(tenant, filters, from, to, zone(ctx),
        parse(ctx, "cost", false, CostMetric::parse).orElse(CostMetric.BILLED),
        parse(ctx, "charges", false, ChargeScope::parse).orElse(defaultCharges));
  }

  static ZoneId zone(Context ctx) {
    return parse(ctx, "zone", false, Timestamps::zone).orElse(ZoneId.of("UTC"));
  }

  private LocalDate asOf(Context ctx, ZoneId zone) {
    return Optional.ofNullable(ctx.queryParam("asOf")).map(s -> CostPeriod.date("asOf", s))
        .orElseGet(() -> LocalDate.now(cost.store().clock().withZone(zone)));
  }

  private static Optional<CostColumn> column(Context ctx, String name, boolean required) {
    return parse(ctx, name, required, s -> CostColumn.parse(name, s));
  }

  private static List<CostColumn> columns(Context ctx, String name) {
    List<String> given = ctx.queryParams(name);
    return given.isEmpty() ? CostInsights.defaultDimensions() : given.stream().map(s -> CostColumn.parse(name, s))
        .toList();
  }

  private static CostPeriod period(Context ctx, String name) {
    return parse(ctx, name, true, s -> CostPeriod.parse(name, s)).orElseThrow();
  }

  private static String window(Context ctx) {
    String w = parse(ctx, "window", true, Function.identity()).orElseThrow();
    if (!List.of("day", "week", "month").contains(w)) {
      throw TallyException.invalid(Problem.of("window", "must be day, week or month", w));
    }
    return w;
  }

  private static int integer(Context ctx, String name, int fallback) {
    return parse(ctx, name, false, Integer::parseInt).orElse(fallback);
  }

  static AnomalySettings settings(Context ctx) {
    BigDecimal impact = parse(ctx, "minImpact", false, BigDecimal::new).orElse(BigDecimal.ZERO);
    BigDecimal percent = parse(ctx, "minPercent", false, BigDecimal::new).orElse(BigDecimal.TEN);
    try {
      return AnomalySettings.defaults().withThresholds(impact, percent);
    } catch (IllegalArgumentException e) {
      throw TallyException.invalid(Problem.of("minImpact/minPercent", e.getMessage()));
    }
  }

  /** A query parameter parsed; a parser's IllegalArgumentException becomes a 400 naming the parameter. */
  static <T> Optional<T> parse(Context ctx, String name, boolean required, Function<String, T> parser) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) {
      if (required) {
        throw TallyException.invalid(Problem.of(name, "is required"));
      }
      return Optional.empty();
    }
    try {
      return Optional.of(parser.apply(v));
    } catch (IllegalArgumentException e) {
      throw TallyException.invalid(Problem.of(name, e.getMessage(), v));
    }
  }
}
