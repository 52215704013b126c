package dev.tally.server.auth;

/** What an API key may do. */
public enum KeyKind {
  /** Everything within its tenant: ingest, manage meters, query, create portal tokens. */
  FULL,
  /** Reads only (events, meters, queries): for dashboards. */
  READ_ONLY
}
