package dev.tally.server.auth;

import static java.util.Objects.requireNonNull;

/**
 * A key just created: its description and, this once, the secret key text.
 *
 * @param key the description
 * @param secret the full key to give to the user; it is not stored and cannot be shown again
 */
public record CreatedKey(ApiKey key, String secret) {
  public CreatedKey {
    requireNonNull(key, "key is null");
    requireNonNull(secret, "secret is null");
  }
}
