package dev.tally.server.auth;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.Set;

/**
 * Who a request acts as: always exactly one tenant, and, for a portal token, exactly one subject.
 *
 * @param tenant the tenant every read and write of the request is confined to
 * @param kind what an API key may do; portal tokens are {@link KeyKind#READ_ONLY}
 * @param portalSubject for a portal token, the only subject it may see
 * @param allowedMeters for a portal token, the meters it may query (empty: all of the tenant's)
 * @param credentialId the key id or portal token id, for the access log
 */
public record Principal(
    String tenant, KeyKind kind, Optional<String> portalSubject, Set<String> allowedMeters, String credentialId) {
  public Principal {
    requireNonNull(tenant, "tenant is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(portalSubject, "portalSubject is null");
    allowedMeters = Set.copyOf(allowedMeters);
    requireNonNull(credentialId, "credentialId is null");
  }

  /** The principal of an API key. */
  public static Principal of(ApiKey key) {
    return new Principal(key.tenant(), key.kind(), Optional.empty(), Set.of(), key.id());
  }

  public boolean portal() {
    return portalSubject.isPresent();
  }
}
