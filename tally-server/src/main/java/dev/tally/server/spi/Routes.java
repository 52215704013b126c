package dev.tally.server.spi;

import dev.tally.server.auth.Principal;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * Where route groups register their handlers. Every handler registered here is wrapped so that, before it runs, the
 * server is checked to be accepting requests (503 while shutting down), the caller is authenticated and authorised
 * for the route's {@link Access}, and the request is counted in flight; the handler then reads its
 * {@link #principal(Context) principal}, whose tenant confines everything it does.
 *
 * <p>Paths use OpenAPI's {@code {name}} parameter syntax, which Javalin shares, so the registered routes can be checked
 * against the API document.
 */
public interface Routes {
  /** The request attribute that holds the authenticated principal. */
  String PRINCIPAL_ATTRIBUTE = "tally.principal";

  Routes get(String path, Access access, Handler handler);

  Routes post(String path, Access access, Handler handler);

  Routes put(String path, Access access, Handler handler);

  Routes delete(String path, Access access, Handler handler);

  /** The authenticated principal of a request to a READ, WRITE or PORTAL route. */
  static Principal principal(Context ctx) {
    Principal p = ctx.attribute(PRINCIPAL_ATTRIBUTE);
    if (p == null) {
      throw new IllegalStateException("no principal: the route is not a READ, WRITE or PORTAL route");
    }
    return p;
  }
}
