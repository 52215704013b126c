package dev.tally.server;

import dev.tally.server.spi.Access;
import dev.tally.server.spi.ApiRoutes;
import dev.tally.server.spi.Routes;
import dev.tally.server.spi.ServerMetrics;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Operations: {@code /healthz} (the process answers), {@code /readyz} (it takes requests: not shutting down),
 * {@code /metrics} (Prometheus text, for loopback callers or the admin token), and the API document at
 * {@code /api/openapi.yaml}.
 */
final class OpsRoutes implements ApiRoutes {
  static final String OPENAPI_RESOURCE = "/dev/tally/server/openapi.yaml";

  private final Lifecycle lifecycle;
  private final ServerMetrics metrics;
  private final String openApi;

  OpsRoutes(Lifecycle lifecycle, ServerMetrics metrics) {
    this.lifecycle = lifecycle;
    this.metrics = metrics;
    this.openApi = openApiDocument();
  }

  @Override
  public void register(Routes routes) {
    routes.get("/healthz", Access.PUBLIC, ctx -> text(ctx, 200, "ok\n"));
    routes.get("/readyz", Access.PUBLIC, ctx -> {
      if (lifecycle.draining()) {
        text(ctx, 503, "shutting down\n");
      } else {
        text(ctx, 200, "ready\n");
      }
    });
    routes.get("/metrics", Access.OPERATOR, ctx -> {
      ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
      ctx.result(metrics.scrape());
    });
    routes.get("/api/openapi.yaml", Access.PUBLIC, ctx -> {
      ctx.contentType("application/yaml");
      ctx.result(openApi);
    });
  }

  private static void text(Context ctx, int status, String body) {
    ctx.status(status);
    ctx.contentType("text/plain; charset=utf-8");
    ctx.result(body);
  }

  /** The hand-written OpenAPI document, a resource of this module. */
  static String openApiDocument() {
    try (InputStream in = OpsRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
