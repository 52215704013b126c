package dev.tally.server.auth;

import static java.util.Objects.requireNonNull;

import dev.tally.api.ErrorCode;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.store.TallyStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API keys: created for one tenant, stored only as a SHA-256 hash, checked in constant time, revocable.
 *
 * <p>Design. A key reads {@code tly_<id>_<secret>}: a 12-character public id (shown in listings, used to find the
 * key) and 256 random bits. Because the secret has full entropy, one unsalted SHA-256 is enough: there is nothing to
 * guess from the hash. Authentication looks the id up in an in-memory copy of the table (the store belongs to this
 * one process, so the copy is coherent; every change goes through this class) and compares hashes with
 * {@link MessageDigest#isEqual}, whose time does not depend on where the hashes differ. An unknown id is compared
 * against a dummy hash so that it takes as long as a known one.
 *
 * <p>The table lives in the store's {@code server} migration track.
 */
public final class ApiKeys {
  /** Every API key starts with this. */
  public static final String KEY_PREFIX = "tly_";

  static final String TRACK = "server";
  static final String MIGRATIONS = "/dev/tally/server/migrations";
  static final List<String> SCRIPTS = List.of("V1__api_keys.sql", "V2__portal_revocations.sql");

  private static final int ID_LENGTH = 12;
  private static final String ID_ALPHABET = "abcdefghijkmnopqrstuvwxyz23456789";
  private static final byte[] DUMMY_HASH = new byte[32];

  private final TallyStore store;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Entry> byId = new ConcurrentHashMap<>();

  private record Entry(ApiKey key, byte[] hash) {}

  private ApiKeys(TallyStore store) {
    this.store = store;
  }

  /** The keys of a store, applying the server's schema migrations first. */
  public static ApiKeys open(TallyStore store) {
    requireNonNull(store, "store is null");
    migrate(store);
    ApiKeys keys = new ApiKeys(store);
    keys.load();
    return keys;
  }

  /** Applies the server's schema track (API keys, signing secrets) to a store. */
  static void migrate(TallyStore store) {
    store.migrate(TRACK, MIGRATIONS, SCRIPTS, ApiKeys.class);
  }

  private void load() {
    store.read(c -> {
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT id, tenant, kind, hash, created_at, revoked_at FROM api_keys")) {
        while (rs.next()) {
          ApiKey key = new ApiKey(rs.getString(1), rs.getString(2), KeyKind.valueOf(rs.getString(3)),
              rs.getObject(5, OffsetDateTime.class).toInstant(),
              Optional.ofNullable(rs.getObject(6, OffsetDateTime.class)).map(OffsetDateTime::toInstant));
          byId.put(key.id(), new Entry(key, HexFormat.of().parseHex(rs.getString(4))));
        }
      }
      return null;
    });
  }

  /**
   * Creates a key for an existing tenant.
   *
   * @throws TallyException NOT_FOUND if the tenant does not exist
   */
  public CreatedKey create(String tenant, KeyKind kind) {
    TallyStore.checkTenant(tenant);
    requireNonNull(kind, "kind is null");
    if (!store.tenantExists(tenant)) {
      throw new TallyException(ErrorCode.NOT_FOUND,
          "no tenant '" + tenant + "'; create it first ('tally tenant create " + tenant + "')");
    }
    String id = randomId();
    byte[] secretBytes = new byte[32];
    random.nextBytes(secretBytes);
    String secret = KEY_PREFIX + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
    byte[] hash = sha256(secret);
    // The store keeps microseconds; the copy in memory must say what a reload would.
    Instant now = store.clock().instant().truncatedTo(ChronoUnit.MICROS);
    store.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_keys VALUES (?, ?, ?, ?, ?, NULL)")) {
        ps.setString(1, id);
        ps.setString(2, tenant);
        ps.setString(3, kind.name());
        ps.setString(4, HexFormat.of().formatHex(hash));
        ps.setObject(5, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
        ps.executeUpdate();
      }
      return null;
    });
    ApiKey key = new ApiKey(id, tenant, kind, now, Optional.empty());
    byId.put(id, new Entry(key, hash));
    return new CreatedKey(key, secret);
  }

  /** Keys of one tenant, or of all tenants, oldest first. */
  public List<ApiKey> list(Optional<String> tenant) {
    List<ApiKey> out = new ArrayList<>();
    for (Entry e : byId.values()) {
      if (tenant.isEmpty() || tenant.get().equals(e.key().tenant())) {
        out.add(e.key());
      }
    }
    out.sort(Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::id));
    return out;
  }

  /**
   * Revokes a key, named by its id or its prefix {@code tly_<id>}; revoking a revoked key changes nothing.
   *
   * @return the key as it now is
   * @throws TallyException NOT_FOUND if there is no such key
   */
  public ApiKey revoke(String idOrPrefix) {
    String id = idOrPrefix.startsWith(KEY_PREFIX) ? idOrPrefix.substring(KEY_PREFIX.length()) : idOrPrefix;
    Entry e = byId.get(id);
    if (e == null) {
      throw new TallyException(ErrorCode.NOT_FOUND, "no API key '" + idOrPrefix + "'",
          List.of(Problem.of("key", "no such key", idOrPrefix)));
    }
    if (e.key().revoked()) {
      return e.key();
    }
    Instant now = store.clock().instant().truncatedTo(ChronoUnit.MICROS);
    store.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE api_keys SET revoked_at = ? WHERE id = ?")) {
        ps.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
        ps.setString(2, id);
        ps.executeUpdate();
      }
      return null;
    });
    ApiKey revoked = new ApiKey(id, e.key().tenant(), e.key().kind(), e.key().createdAt(), Optional.of(now));
    byId.put(id, new Entry(revoked, e.hash()));
    return revoked;
  }

  /** The key a presented secret belongs to, if it is a valid, unrevoked key. */
  public Optional<ApiKey> authenticate(String presented) {
    Optional<String> id = idOf(presented);
    Entry e = id.map(byId::get).orElse(null);
    byte[] expected = e == null ? DUMMY_HASH : e.hash();
    boolean match = MessageDigest.isEqual(sha256(presented), expected);
    if (e == null || !match || e.key().revoked()) {
      return Optional.empty();
    }
    return Optional.of(e.key());
  }

  private static Optional<String> idOf(String presented) {
    if (!presented.startsWith(KEY_PREFIX) || presented.length() < KEY_PREFIX.length() + ID_LENGTH + 2) {
      return Optional.empty();
    }
    int end = KEY_PREFIX.length() + ID_LENGTH;
    if (presented.charAt(end) != '_') {
      return Optional.empty();
    }
    return Optional.of(presented.substring(KEY_PREFIX.length(), end));
  }

  private String randomId() {
    while (true) {
      StringBuilder sb = new StringBuilder(ID_LENGTH);
      for (int i = 0; i < ID_LENGTH; i++) {
        sb.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
      }
      if (!byId.containsKey(sb.toString())) {
        return sb.toString();
      }
    }
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
