package dev.tally.store.auth;

import static java.util.Objects.requireNonNull;

import dev.tally.store.TallyStore;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The server's credentials as stored: API key hashes, portal-token invalidations and signing secrets. Only rows;
 * what a key or a token means (hashing, signing, checking) is the server's, which keeps its own copy in memory and
 * changes it only through this class.
 *
 * <p>The tables live in the migration track {@code server} (its name from when the server held them, kept so that
 * existing stores are not migrated twice).
 */
public final class CredentialStore {
  private static final String TRACK = "server";
  private static final List<String> SCRIPTS = List.of("V1__api_keys.sql", "V2__portal_revocations.sql");

  private final TallyStore store;

  private CredentialStore(TallyStore store) {
    this.store = store;
  }

  /** The credentials of a store, applying their schema migrations first. */
  public static CredentialStore open(TallyStore store) {
    requireNonNull(store, "store is null");
    store.migrate(TRACK, "/dev/tally/store/auth", SCRIPTS, CredentialStore.class);
    return new CredentialStore(store);
  }

  /**
   * An API key as stored: its public id, tenant, kind (the server's name for it) and the hex SHA-256 of its secret.
   */
  public record KeyRow(String id, String tenant, String kind, String hash, Instant createdAt,
      Optional<Instant> revokedAt) {
    public KeyRow {
      requireNonNull(id, "id is null");
      requireNonNull(tenant, "tenant is null");
      requireNonNull(kind, "kind is null");
      requireNonNull(hash, "hash is null");
      requireNonNull(createdAt, "createdAt is null");
      requireNonNull(revokedAt, "revokedAt is null");
    }
  }

  /**
   * An invalidation of portal tokens: one token by its id, and/or every token of a subject issued up to {@code at}.
   */
  public record Revocation(String tenant, Optional<String> tokenId, Optional<String> subject, Instant at) {
    public Revocation {
      requireNonNull(tenant, "tenant is null");
      requireNonNull(tokenId, "tokenId is null");
      requireNonNull(subject, "subject is null");
      requireNonNull(at, "at is null");
      if (tokenId.isEmpty() && subject.isEmpty()) {
        throw new IllegalArgumentException("a revocation names a token id, a subject, or both");
      }
    }
  }

  /** Every API key, revoked ones too. */
  public List<KeyRow> keys() {
    return store.read(c -> {
      List<KeyRow> out = new ArrayList<>();
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT id, tenant, kind, hash, created_at, revoked_at FROM api_keys")) {
        while (rs.next()) {
          out.add(new KeyRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getObject(5, OffsetDateTime.class).toInstant(),
              Optional.ofNullable(rs.getObject(6, OffsetDateTime.class)).map(OffsetDateTime::toInstant)));
        }
      }
      return out;
    });
  }

  /** Stores a new key. */
  public void addKey(KeyRow key) {
    requireNonNull(key, "key is null");
    store.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_keys VALUES (?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, key.id());
        ps.setString(2, key.tenant());
        ps.setString(3, key.kind());
        ps.setString(4, key.hash());
        ps.setObject(5, utc(key.createdAt()));
        ps.setObject(6, key.revokedAt().map(CredentialStore::utc).orElse(null));
        ps.executeUpdate();
      }
      return null;
    });
  }

  /** Marks a key revoked at {@code at}. */
  public void revokeKey(String id, Instant at) {
    store.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE api_keys SET revoked_at = ? WHERE id = ?")) {
        ps.setObject(1, utc(at));
        ps.setString(2, id);
        ps.executeUpdate();
      }
      return null;
    });
  }

  /** Every portal-token invalidation. */
  public List<Revocation> revocations() {
    return store.read(c -> {
      List<Revocation> out = new ArrayList<>();
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT tenant, token_id, subject, revoked_at FROM portal_revocations")) {
        while (rs.next()) {
          out.add(new Revocation(rs.getString(1), Optional.ofNullable(rs.getString(2)),
              Optional.ofNullable(rs.getString(3)), rs.getObject(4, OffsetDateTime.class).toInstant()));
        }
      }
      return out;
    });
  }

  /** Stores an invalidation. */
  public void addRevocation(Revocation r) {
    requireNonNull(r, "revocation is null");
    store.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO portal_revocations VALUES (?, ?, ?, ?)")) {
        ps.setString(1, r.tenant());
        ps.setString(2, r.tokenId().orElse(null));
        ps.setString(3, r.subject().orElse(null));
        ps.setObject(4, utc(r.at()));
        ps.executeUpdate();
      }
      return null;
    });
  }

  /**
   * The named signing secret (256 random bits), created on first use in the same transaction that looked for it, so
   * two first uses cannot make two secrets.
   */
  public byte[] secret(String name) {
    return store.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT secret FROM server_secrets WHERE name = ?")) {
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return HexFormat.of().parseHex(rs.getString(1));
          }
        }
      }
      byte[] fresh = new byte[32];
      new SecureRandom().nextBytes(fresh);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO server_secrets VALUES (?, ?, ?)")) {
        ps.setString(1, name);
        ps.setString(2, HexFormat.of().formatHex(fresh));
        ps.setObject(3, utc(store.clock().instant()));
        ps.executeUpdate();
      }
      return fresh;
    });
  }

  private static OffsetDateTime utc(Instant t) {
    return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
  }
}
