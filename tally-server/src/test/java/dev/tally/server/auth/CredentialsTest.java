package dev.tally.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.api.ErrorCode;
import dev.tally.api.TallyException;
import dev.tally.store.TallyStore;
import dev.tally.store.TestingClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API keys and portal tokens on a real store, with a clock the test moves. */
class CredentialsTest {
  @TempDir Path dir;

  /** A clock the test moves by hand, from noon on 1 June 2024. */
  private static TestingClock testingClock() {
    return new TestingClock(Instant.parse("2024-06-01T12:00:00Z"));
  }

  @Test
  void keysSurviveReopeningAndRevocationIsKept() {
    String secret;
    String prefix;
    try (TallyStore store = TallyStore.open(dir, Clock.systemUTC())) {
      store.ensureTenant("acme");
      CreatedKey k = ApiKeys.open(store).create("acme", KeyKind.READ_ONLY);
      secret = k.secret();
      prefix = k.key().prefix();
      assertThat(secret).startsWith(prefix + "_");
    }
    try (TallyStore store = TallyStore.open(dir, Clock.systemUTC())) {
      ApiKeys keys = ApiKeys.open(store);
      ApiKey found = keys.authenticate(secret).orElseThrow();
      assertThat(found.tenant()).isEqualTo("acme");
      assertThat(found.kind()).isEqualTo(KeyKind.READ_ONLY);
      assertThat(keys.list(Optional.of("acme"))).containsExactly(found);
      keys.revoke(prefix);
    }
    try (TallyStore store = TallyStore.open(dir, Clock.systemUTC())) {
      ApiKeys keys = ApiKeys.open(store);
      assertThat(keys.authenticate(secret)).isEmpty();
      assertThat(keys.list(Optional.empty()).get(0).revoked()).isTrue();
    }
  }

  @Test
  void nearMissesAreRefused() {
    try (TallyStore store = TallyStore.open(dir, Clock.systemUTC())) {
      store.ensureTenant("acme");
      ApiKeys keys = ApiKeys.open(store);
      String secret = keys.create("acme", KeyKind.FULL).secret();
      String flipped = secret.substring(0, secret.length() - 1) + (secret.endsWith("A") ? "B" : "A");
      assertThat(keys.authenticate(flipped)).isEmpty();
      assertThat(keys.authenticate(secret.substring(0, 17))).isEmpty();
      assertThat(keys.authenticate("")).isEmpty();
      assertThat(keys.authenticate(secret)).isPresent();
    }
  }

  @Test
  void keyForUnknownTenantIsRefused() {
    try (TallyStore store = TallyStore.open(dir, Clock.systemUTC())) {
      assertThatThrownBy(() -> ApiKeys.open(store).create("ghost", KeyKind.FULL))
          .isInstanceOfSatisfying(TallyException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }
  }

  @Test
  void portalTokensExpireAndSurviveARestart() {
    TestingClock clock = testingClock();
    String token;
    try (TallyStore store = TallyStore.open(dir, clock)) {
      PortalTokens tokens = PortalTokens.open(store);
      PortalTokens.Issued issued = tokens.issue("acme", "customer-1", Set.of("calls"), Duration.ofHours(1));
      token = issued.token();
      PortalToken claims = tokens.verify(token).orElseThrow();
      assertThat(claims.subject()).isEqualTo("customer-1");
      assertThat(claims.allowedMeters()).containsExactly("calls");
      assertThat(claims.expiresAt()).isEqualTo(Instant.parse("2024-06-01T13:00:00Z"));
    }
    try (TallyStore store = TallyStore.open(dir, clock)) {
      PortalTokens tokens = PortalTokens.open(store);
      clock.advance(Duration.ofMinutes(59));
      assertThat(tokens.verify(token)).isPresent();
      clock.advance(Duration.ofMinutes(1));
      assertThat(tokens.verify(token)).isEmpty();
    }
  }

  @Test
  void portalTokenInvalidationSurvivesARestartAndSparesLaterTokens() {
    TestingClock clock = testingClock();
    String old;
    try (TallyStore store = TallyStore.open(dir, clock)) {
      PortalTokens tokens = PortalTokens.open(store);
      old = tokens.issue("acme", "alice", Set.of(), Duration.ofHours(1)).token();
      clock.advance(Duration.ofSeconds(1));
      tokens.invalidate("acme", Optional.empty(), Optional.of("alice"));
      assertThat(tokens.verify(old)).isEmpty();
    }
    try (TallyStore store = TallyStore.open(dir, clock)) {
      PortalTokens tokens = PortalTokens.open(store);
      assertThat(tokens.verify(old)).isEmpty();
      clock.advance(Duration.ofSeconds(1));
      String fresh = tokens.issue("acme", "alice", Set.of(), Duration.ofHours(1)).token();
      assertThat(tokens.verify(fresh)).isPresent();
    }
  }

  @Test
  void portalTokenLifetimeIsBounded() {
    try (TallyStore store = TallyStore.open(dir, testingClock())) {
      PortalTokens tokens = PortalTokens.open(store);
      assertThatThrownBy(() -> tokens.issue("acme", "s", Set.of(), Duration.ofDays(8)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> tokens.issue("acme", "s", Set.of(), Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
