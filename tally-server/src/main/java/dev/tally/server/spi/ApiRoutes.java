package dev.tally.server.spi;

/**
 * A group of routes of one feature area. Each group registers its handlers with {@link Routes}, which applies
 * authentication, draining and metrics uniformly; see the package documentation for how to add one.
 */
@FunctionalInterface
public interface ApiRoutes {
  /** Registers this group's routes. */
  void register(Routes routes);
}
