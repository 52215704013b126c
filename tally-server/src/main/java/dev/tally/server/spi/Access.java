package dev.tally.server.spi;

/** Who may call a route. Checked before the handler runs, by {@link Routes}. */
public enum Access {
  /** Anyone: health checks and the API document. */
  PUBLIC,
  /** Any API key of the tenant, read-only keys included. Portal tokens are refused. */
  READ,
  /** A full API key of the tenant. */
  WRITE,
  /** A portal token; it sees one subject of one tenant. */
  PORTAL,
  /** Operators: a loopback caller, or any caller with the admin token. */
  OPERATOR,
  /** The local administrator: a loopback caller presenting the admin token from the data directory. */
  ADMIN
}
