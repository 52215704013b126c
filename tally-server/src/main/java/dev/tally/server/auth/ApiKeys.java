package dev.tally.server.auth;

import static java.util.Objects.requireNonNull;

import dev.tally.api.ErrorCode;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.store.TallyStore;
import dev.tally.store.auth.CredentialStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
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
 * <p>The rows are kept by the store's {@link CredentialStore}.
 */
public final class ApiKeys {
  /** Every API key starts with this. */
  public static final String KEY_PREFIX = "tly_";

  private static final int ID_LENGTH = 12;
  private static final String ID_ALPHABET = "abcdefghijkmnopqrstuvwxyz23456789";
  private static final byte[] DUMMY_HASH = new byte[32];

  private final TallyStore store;
  private final CredentialStore rows;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Entry> byId = new ConcurrentHashMap<>();

  private record Entry(ApiKey key, byte[] hash) {}

  private ApiKeys(TallyStore store, CredentialStore rows) {
    this.store = store;
    this.rows = rows;
  }

  /** The keys of a store, applying the credential tables' migrations first. */
  public static ApiKeys open(TallyStore store) {
    requireNonNull(store, "store is null");
    ApiKeys keys = new ApiKeys(store, CredentialStore.open(store));
    for (CredentialStore.KeyRow r : keys.rows.keys()) {
      ApiKey key = new ApiKey(r.id(), r.tenant(), KeyKind.valueOf(r.kind()), r.createdAt(), r.revokedAt());
      keys.byId.put(key.id(), new Entry(key, HexFormat.of().parseHex(r.hash())));
    }
    return keys;
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
    rows.addKey(new CredentialStore.KeyRow(id, tenant, kind.name(), HexFormat.of().formatHex(hash), now,
        Optional.empty()));
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
    rows.revokeKey(id, now);
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
