package dev.tally.server.metering;

import dev.tally.api.ErrorCode;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.api.UsageQuery;
import dev.tally.api.UsageResult;
import dev.tally.api.WindowSize;
import dev.tally.core.format.UsageFormats;
import dev.tally.core.time.Windows;
import dev.tally.server.auth.Principal;
import dev.tally.server.spi.Access;
import dev.tally.server.spi.ApiRoutes;
import dev.tally.server.spi.Bodies;
import dev.tally.server.spi.HttpProblem;
import dev.tally.server.spi.Routes;
import dev.tally.store.TallyStore;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Meter queries: {@code GET} and {@code POST /api/v1/meters/{slug}/query} for API keys, and
 * {@code GET /api/v1/portal/meters/{slug}/query} for portal tokens, which always see only their own subject.
 *
 * <p>Answers are OpenMeter's {@code {from, to, windowSize, data: [...]}}, or CSV for {@code Accept: text/csv}. An
 * absent {@code to} is now; an absent {@code from} is the start of the window holding the meter's first value (or,
 * for a meter without values, one day before {@code to}).
 */
public final class QueryRoutes implements ApiRoutes {
  static final String QUERY = "/api/v1/meters/{slug}/query";
  static final String PORTAL_QUERY = "/api/v1/portal/meters/{slug}/query";

  private final TallyStore store;

  public QueryRoutes(TallyStore store) {
    this.store = store;
  }

  @Override
  public void register(Routes routes) {
    routes.get(QUERY, Access.READ, ctx -> run(ctx, ctx.queryParamMap()));
    routes.post(QUERY, Access.READ, ctx -> run(ctx, QueryParameters.fromJson(Bodies.jsonObject(ctx))));
    routes.get(PORTAL_QUERY, Access.PORTAL, ctx -> run(ctx, ctx.queryParamMap()));
  }

  private void run(Context ctx, Map<String, List<String>> params) {
    Principal principal = Routes.principal(ctx);
    String slug = ctx.pathParam("slug");
    if (principal.portal() && !principal.allowedMeters().isEmpty() && !principal.allowedMeters().contains(slug)) {
      throw HttpProblem.forbidden();
    }
    // A meter that does not exist is 404, as OpenMeter answers (its SDKs tell "not found" from "bad request"), and
    // is said before the parameters are judged: there is nothing to query.
    store.meters().find(principal.tenant(), slug).orElseThrow(() -> new TallyException(
        ErrorCode.NOT_FOUND, "no meter '" + slug + "'", List.of(Problem.of("meterIdOrSlug", "no such meter", slug))));
    QueryParameters.Parsed parsed = QueryParameters.parse(params, !principal.portal());
    Instant to = parsed.to().orElseGet(() -> store.clock().instant());
    Instant from = parsed.from().orElseGet(() -> defaultFrom(principal.tenant(), slug, parsed, to));
    UsageQuery query = parsed.toQuery(slug, from, to);
    if (principal.portal()) {
      query = new UsageQuery(slug, from, to, query.windowSize(), query.windowTimeZone(),
          List.of(principal.portalSubject().orElseThrow()), query.groupBy(), query.filterGroupBy());
    }
    UsageResult result = store.queries().query(principal.tenant(), query);
    String accept = Optional.ofNullable(ctx.header("Accept")).orElse("");
    if (accept.contains("text/csv")) {
      ctx.contentType("text/csv; charset=utf-8");
      ctx.result(UsageFormats.csv(result));
    } else {
      ctx.contentType("application/json");
      ctx.result(UsageFormats.jsonNode(result).toString());
    }
  }

  private Instant defaultFrom(String tenant, String slug, QueryParameters.Parsed parsed, Instant to) {
    Optional<Instant> first = store.queries().firstValueTime(tenant, slug);
    Instant from = first.filter(f -> f.isBefore(to)).orElse(to.minus(Duration.ofDays(1)));
    Optional<WindowSize> size = parsed.windowSize();
    return size.isPresent() ? Windows.startOf(from, size.get(), parsed.zone()) : from;
  }
}
