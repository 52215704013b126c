package dev.tally.server;

import static java.util.Objects.requireNonNull;

import dev.tally.server.auth.Principal;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;

/**
 * Where route groups register their handlers. Every handler registered here is wrapped so that, before it runs, the
 * server is checked to be accepting requests (503 while shutting down), the caller is authenticated and authorised
 * for the route's {@link Access}, and the request is counted in flight; the handler then reads its
 * {@link #principal(Context) principal}, whose tenant confines everything it does.
 *
 * <p>Paths use OpenAPI's {@code {name}} parameter syntax, which Javalin shares, so the recorded {@link RouteSpec}s can
 * be checked against the API document.
 */
public final class Routes {
  private static final String PRINCIPAL = "tally.principal";
  static final String ROUTE = "tally.route";

  private final RoutesConfig javalin;
  private final Authenticator auth;
  private final Lifecycle lifecycle;
  private final List<RouteSpec> specs = new ArrayList<>();

  Routes(RoutesConfig javalin, Authenticator auth, Lifecycle lifecycle) {
    this.javalin = javalin;
    this.auth = auth;
    this.lifecycle = lifecycle;
  }

  public Routes get(String path, Access access, Handler handler) {
    return add(HandlerType.GET, path, access, handler);
  }

  public Routes post(String path, Access access, Handler handler) {
    return add(HandlerType.POST, path, access, handler);
  }

  public Routes put(String path, Access access, Handler handler) {
    return add(HandlerType.PUT, path, access, handler);
  }

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
        auth.check(ctx, access).ifPresent(p -> ctx.attribute(PRINCIPAL, p));
        handler.handle(ctx);
      } finally {
        if (access != Access.PUBLIC) {
          lifecycle.exit();
        }
      }
    });
    return this;
  }

  /** The authenticated principal of a request to a READ, WRITE or PORTAL route. */
  public static Principal principal(Context ctx) {
    Principal p = ctx.attribute(PRINCIPAL);
    if (p == null) {
      throw new IllegalStateException("no principal: the route is not a READ, WRITE or PORTAL route");
    }
    return p;
  }

  /** The routes registered so far, in order. */
  List<RouteSpec> specs() {
    return List.copyOf(specs);
  }
}
