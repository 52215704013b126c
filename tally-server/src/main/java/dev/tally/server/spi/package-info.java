/**
 * What a feature area's HTTP routes build on: {@link dev.tally.server.spi.ApiRoutes} (a group of routes),
 * {@link dev.tally.server.spi.Routes} (where they register, with their {@link dev.tally.server.spi.Access}) and
 * {@link dev.tally.server.spi.Schedule} (background work). The server's root package implements these and assembles
 * the areas; areas ({@code cost}, {@code pricing}, the console) depend on this package only, never on the root, so
 * that no package depends on itself through another (checked by tally-cli's ArchitectureTest).
 */
package dev.tally.server.spi;
