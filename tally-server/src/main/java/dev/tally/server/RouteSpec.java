package dev.tally.server;

import static java.util.Objects.requireNonNull;

import dev.tally.server.spi.Access;

/**
 * A route the server serves, as {@link Routes} recorded it: what the OpenAPI document must list.
 *
 * @param method upper-case HTTP method
 * @param path the path template, with {@code {name}} parameters as in OpenAPI
 * @param access who may call it
 */
record RouteSpec(String method, String path, Access access) {
  public RouteSpec {
    requireNonNull(method, "method is null");
    requireNonNull(path, "path is null");
    requireNonNull(access, "access is null");
  }
}
