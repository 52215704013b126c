package dev.tally.server.auth;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * What is known about an API key, never the key itself.
 *
 * @param id the key's public identifier, part of the key text
 * @param tenant the one tenant the key acts for
 * @param kind what it may do
 * @param createdAt when it was created
 * @param revokedAt when it was revoked, if it was
 */
public record ApiKey(String id, String tenant, KeyKind kind, Instant createdAt, Optional<Instant> revokedAt) {
  public ApiKey {
    requireNonNull(id, "id is null");
    requireNonNull(tenant, "tenant is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(revokedAt, "revokedAt is null");
  }

  /** The part of the key that may be shown: {@code tly_<id>}, enough to recognise a key, useless to use it. */
  public String prefix() {
    return ApiKeys.KEY_PREFIX + id;
  }

  public boolean revoked() {
    return revokedAt.isPresent();
  }
}
