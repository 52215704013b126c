package dev.tally.server.auth;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Set;

/**
 * A consumer-portal token's claims: read the usage of one subject of one tenant until it expires.
 *
 * @param id a random identifier, for logs
 * @param tenant the tenant
 * @param subject the only subject the token can see
 * @param allowedMeters meters it may query; empty means all of the tenant's meters
 * @param createdAt when it was issued
 * @param expiresAt when it stops working
 */
public record PortalToken(
    String id, String tenant, String subject, Set<String> allowedMeters, Instant createdAt, Instant expiresAt) {
  public PortalToken {
    requireNonNull(id, "id is null");
    requireNonNull(tenant, "tenant is null");
    requireNonNull(subject, "subject is null");
    allowedMeters = Set.copyOf(allowedMeters);
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(expiresAt, "expiresAt is null");
    if (!expiresAt.isAfter(createdAt)) {
      throw new IllegalArgumentException("expiresAt (" + expiresAt + ") must be after createdAt (" + createdAt + ")");
    }
  }

  /** The principal a request carrying this token acts as. */
  public Principal principal() {
    return new Principal(tenant, KeyKind.READ_ONLY, java.util.Optional.of(subject), allowedMeters, id);
  }
}
