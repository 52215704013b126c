package dev.tally.cli.server;

import static java.util.Objects.requireNonNull;

import dev.tally.server.auth.ApiKey;
import java.util.Optional;

/**
 * An API key as the CLI lists it: never the key, only its prefix.
 *
 * @param prefix {@code tly_<id>}
 * @param tenant its tenant
 * @param kind FULL or READ_ONLY
 * @param createdAt when it was created (RFC 3339)
 * @param revokedAt when it was revoked, if it was
 */
record KeyRow(String prefix, String tenant, String kind, String createdAt, Optional<String> revokedAt) {
  KeyRow {
    requireNonNull(prefix, "prefix is null");
    requireNonNull(tenant, "tenant is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(revokedAt, "revokedAt is null");
  }

  static KeyRow of(ApiKey k) {
    return new KeyRow(k.prefix(), k.tenant(), k.kind().name(), k.createdAt().toString(),
        k.revokedAt().map(Object::toString));
  }
}
