package dev.tally.server;

import static java.util.Objects.requireNonNull;

import dev.tally.server.spi.Access;
import dev.tally.server.spi.HttpProblem;
import dev.tally.server.spi.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's {@link Routes}: registers each handler with Javalin, wrapped in the draining check, authentication and
 * authorisation, and records each route as a {@link RouteSpec} so that the routes can be checked against the API
 * document.
 */
final class RouteTable implements Routes {
  static final String ROUTE = "tally.route";

  private final RoutesConfig javalin;
  private final Authenticator auth;
  private final Lifecycle lifecycle;
  private final List<RouteSpec> specs = new ArrayList<>();

  RouteTable(RoutesConfig javalin, Authenticator auth, Lifecycle lifecycle) {
    this.javalin = javalin;
    this.auth = auth;
    this.lifecycle = lifecycle;
  }

  @Override
  public Routes get(String path, Access access, Handler handler) {
    return add(HandlerType.GET, path, access, handler);
  }

  @Override
  public Routes post(String path, Access access, Handler handler) {
    return add(HandlerType.POST, path, access, handler);
  }

  @Override
  public Routes put(String path, Access access, Handler handler) {
    return add(HandlerType.PUT, path, access, handler);
  }

  @Override
  public Routes delete(String path, Access access, Handler handler) {
    return add(HandlerType.DELETE, path, access, handler);
  }

  private Routes add(HandlerType method, String path, Access access, Handler handler) {
    requireNonNull(path, "path is null");
    requireNonNull(access, "access is null");
    requireNonNull(handler, "handler is null");
    specs.add(new RouteSpec(method.name(), path, access));
    javalin.addHttpHandler(method, path, ctx -> {
      ctx.attribute(ROUTE, path);
      // Health checks keep answering while draining, so that orchestrators see the shutdown happen.
      if (access != Access.PUBLIC && !lifecycle.enter()) {
        throw HttpProblem.unavailable("the server is shutting down; retry against another instance or later", 5);
      }
      try {
        auth.check(ctx, access).ifPresent(p -> ctx.attribute(PRINCIPAL_ATTRIBUTE, p));
        handler.handle(ctx);
      } finally {
        if (access != Access.PUBLIC) {
          lifecycle.exit();
        }
      }
    });
    return this;
  }

  /** The routes registered so far, in order. */
  List<RouteSpec> specs() {
    return List.copyOf(specs);
  }
}
