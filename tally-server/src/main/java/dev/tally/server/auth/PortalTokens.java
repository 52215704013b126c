package dev.tally.server.auth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.json.Json;
import dev.tally.store.TallyStore;
import dev.tally.store.auth.CredentialStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and checks consumer-portal tokens: short-lived, signed, scoped to one subject of one tenant.
 *
 * <p>Design. A token is {@code tpt_<claims>.<signature>}: base64url JSON claims (id, tenant, subject, allowed meters,
 * issue and expiry time) and an HMAC-SHA256 over them with a 256-bit secret kept in the store. Checking a token needs
 * no lookup in the store, so a portal page can query at the rate of an API key. Tokens are short-lived
 * ({@link #DEFAULT_TTL} by default, at most {@link #MAX_TTL}) and can be invalidated before that, one by its id or all
 * of a subject's issued so far ({@link #invalidate}); the invalidations are kept in the store and in memory.
 */
public final class PortalTokens {
  /** Every portal token starts with this. */
  public static final String TOKEN_PREFIX = "tpt_";
  /** Lifetime of a token when none is asked for. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(1);
  /** Longest lifetime a token may be given. */
  public static final Duration MAX_TTL = Duration.ofDays(7);

  private static final String SECRET_NAME = "portal-token-hmac";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final TallyStore store;
  private final CredentialStore rows;
  private final byte[] secret;
  private final SecureRandom random = new SecureRandom();
  // Invalidations by "tenant/token id", and the latest by "tenant/subject"; the store is this process's alone.
  private final Map<String, Instant> revokedIds = new ConcurrentHashMap<>();
  private final Map<String, Instant> revokedSubjects = new ConcurrentHashMap<>();

  private PortalTokens(TallyStore store, CredentialStore rows, byte[] secret) {
    this.store = store;
    this.rows = rows;
    this.secret = secret;
  }

  /** The token service of a store, creating its signing secret on first use. */
  public static PortalTokens open(TallyStore store) {
    requireNonNull(store, "store is null");
    CredentialStore rows = CredentialStore.open(store);
    PortalTokens tokens = new PortalTokens(store, rows, rows.secret(SECRET_NAME));
    for (CredentialStore.Revocation r : rows.revocations()) {
      tokens.remember(r.tenant(), r.tokenId(), r.subject(), r.at());
    }
    return tokens;
  }

  private void remember(String tenant, Optional<String> id, Optional<String> subject, Instant at) {
    id.ifPresent(i -> revokedIds.put(tenant + "/" + i, at));
    subject.ifPresent(s -> revokedSubjects.merge(tenant + "/" + s, at, (a, b) -> a.isAfter(b) ? a : b));
  }

  /**
   * Invalidates a tenant's portal tokens: the one with this id, and/or every one of this subject issued up to now
   * (tokens carry whole seconds, so one issued in the same second as the invalidation is invalidated too). Tokens of
   * other tenants are never affected.
   */
  public void invalidate(String tenant, Optional<String> id, Optional<String> subject) {
    if (id.isEmpty() && subject.isEmpty()) {
      throw new IllegalArgumentException("give a token id, a subject, or both");
    }
    Instant now = store.clock().instant();
    rows.addRevocation(new CredentialStore.Revocation(tenant, id, subject, now));
    remember(tenant, id, subject, now);
  }

  /**
   * Issues a token.
   *
   * @param ttl how long it lives, at most {@link #MAX_TTL}
   * @return the claims and the token text
   */
  public Issued issue(String tenant, String subject, Set<String> allowedMeters, Duration ttl) {
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException("ttl must be positive and at most " + MAX_TTL + ", got " + ttl);
    }
    // The token carries whole seconds; the answer must say what the token says.
    Instant now = store.clock().instant().truncatedTo(ChronoUnit.SECONDS);
    byte[] idBytes = new byte[12];
    random.nextBytes(idBytes);
    PortalToken claims = new PortalToken(HexFormat.of().formatHex(idBytes), tenant, subject, allowedMeters, now,
        now.plus(ttl));
    ObjectNode n = Json.json().createObjectNode();
    n.put("i", claims.id());
    n.put("t", tenant);
    n.put("s", subject);
    ArrayNode m = n.putArray("m");
    claims.allowedMeters().stream().sorted().forEach(m::add);
    n.put("c", now.getEpochSecond());
    n.put("e", claims.expiresAt().getEpochSecond());
    String body = B64.encodeToString(n.toString().getBytes(StandardCharsets.UTF_8));
    return new Issued(claims, TOKEN_PREFIX + body + "." + B64.encodeToString(sign(body)));
  }

  /**
   * A token just issued.
   *
   * @param claims what it allows
   * @param token the text to hand to the portal
   */
  public record Issued(PortalToken claims, String token) {
    public Issued {
      requireNonNull(claims, "claims is null");
      requireNonNull(token, "token is null");
    }
  }

  /** The claims of a presented token, if its signature holds and it has not expired. */
  public Optional<PortalToken> verify(String presented) {
    if (!presented.startsWith(TOKEN_PREFIX)) {
      return Optional.empty();
    }
    String rest = presented.substring(TOKEN_PREFIX.length());
    int dot = rest.indexOf('.');
    if (dot < 0) {
      return Optional.empty();
    }
    String body = rest.substring(0, dot);
    byte[] given;
    try {
      given = Base64.getUrlDecoder().decode(rest.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (!MessageDigest.isEqual(sign(body), given)) {
      return Optional.empty();
    }
    try {
      JsonNode n = Json.json().readTree(Base64.getUrlDecoder().decode(body));
      Set<String> meters = new HashSet<>();
      n.get("m").forEach(x -> meters.add(x.asText()));
      PortalToken t = new PortalToken(n.get("i").asText(), n.get("t").asText(), n.get("s").asText(), meters,
          Instant.ofEpochSecond(n.get("c").asLong()), Instant.ofEpochSecond(n.get("e").asLong()));
      return store.clock().instant().isBefore(t.expiresAt()) && !revoked(t) ? Optional.of(t) : Optional.empty();
    } catch (java.io.IOException | RuntimeException e) {
      // A correctly signed but unreadable token can only come from a different build; treat it as invalid.
      return Optional.empty();
    }
  }

  private boolean revoked(PortalToken t) {
    if (revokedIds.containsKey(t.tenant() + "/" + t.id())) {
      return true;
    }
    Instant subjectRevoked = revokedSubjects.get(t.tenant() + "/" + t.subject());
    return subjectRevoked != null && !t.createdAt().isAfter(subjectRevoked);
  }

  /** The current time of the store's clock, which token lifetimes are measured against. */
  public Instant now() {
    return store.clock().instant();
  }

  private byte[] sign(String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java platform has HmacSHA256", e);
    }
  }
}
