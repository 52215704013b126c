package dev.tally.server;

import static java.util.Objects.requireNonNull;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.server.spi.ApiRoutes;
import dev.tally.server.spi.ServerLimits;
import java.util.List;

/**
 * How to run a {@link TallyServer}.
 *
 * @param host the address to bind ({@code 127.0.0.1} by default: reachable from this machine only)
 * @param port the port; 0 picks a free one
 * @param limits request limits
 * @param extraRoutes route groups of other feature areas, registered after the server's own
 * @param writeAdminFile whether to write the admin file into the data directory, so that the CLI's key and tenant
 *     commands can work through the running server
 * @param logFirst acknowledge events from Tally's own durable log and load the store in the background
 *     ({@code DurableIngestor}; the default), or, when false, from a store transaction per group (the earlier path,
 *     kept for comparison: {@code tally serve --no-ack-from-log})
 */
public record ServerOptions(
    String host, int port, ServerLimits limits, List<ApiRoutes> extraRoutes, boolean writeAdminFile,
    boolean logFirst) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;

  public ServerOptions {
    requireNonNull(host, "host is null");
    if (port < 0 || port > 65535) {
      // A person's input (tally serve --port): a user error, named by its field.
      throw TallyException.invalid(Problem.of("port", "must be 0-65535 (0 picks a free one)", String.valueOf(port)));
    }
    requireNonNull(limits, "limits is null");
    extraRoutes = List.copyOf(extraRoutes);
  }

  /** Loopback, port 8080, default limits, the admin file written, acknowledging from the log. */
  public static ServerOptions defaults() {
    return new ServerOptions(DEFAULT_HOST, DEFAULT_PORT, ServerLimits.DEFAULT, List.of(), true, true);
  }

  public ServerOptions withHost(String h) {
    return new ServerOptions(h, port, limits, extraRoutes, writeAdminFile, logFirst);
  }

  public ServerOptions withPort(int p) {
    return new ServerOptions(host, p, limits, extraRoutes, writeAdminFile, logFirst);
  }

  public ServerOptions withLimits(ServerLimits l) {
    return new ServerOptions(host, port, l, extraRoutes, writeAdminFile, logFirst);
  }

  public ServerOptions withExtraRoutes(List<ApiRoutes> r) {
    return new ServerOptions(host, port, limits, r, writeAdminFile, logFirst);
  }

  public ServerOptions withLogFirst(boolean on) {
    return new ServerOptions(host, port, limits, extraRoutes, writeAdminFile, on);
  }
}
