package dev.tally.server;

import dev.tally.server.auth.ApiKey;
import dev.tally.server.auth.ApiKeys;
import dev.tally.server.auth.KeyKind;
import dev.tally.server.auth.PortalToken;
import dev.tally.server.auth.PortalTokens;
import dev.tally.server.auth.Principal;
import dev.tally.server.spi.Access;
import dev.tally.server.spi.HttpProblem;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Turns a request's {@code Authorization: Bearer} credential into a {@link Principal}, or refuses it.
 *
 * <p>Every refusal of a credential is the same 401, whether it was missing, malformed, unknown, revoked or expired,
 * so that probing learns nothing; a valid credential used beyond its rights gets 403.
 */
final class Authenticator {
  private final ApiKeys keys;
  private final PortalTokens portal;
  private final byte[] adminToken;

  Authenticator(ApiKeys keys, PortalTokens portal, String adminToken) {
    this.keys = keys;
    this.portal = portal;
    this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
  }

  /** The principal of a request to a route with the given access; empty for public and operator routes. */
  Optional<Principal> check(Context ctx, Access access) {
    return switch (access) {
      case PUBLIC -> Optional.empty();
      case OPERATOR -> {
        if (!loopback(ctx) && !adminTokenPresented(ctx)) {
          throw HttpProblem.unauthorized();
        }
        yield Optional.empty();
      }
      case ADMIN -> {
        if (!loopback(ctx)) {
          throw HttpProblem.forbidden();
        }
        if (!adminTokenPresented(ctx)) {
          throw HttpProblem.unauthorized();
        }
        yield Optional.empty();
      }
      case READ, WRITE, PORTAL -> Optional.of(principal(ctx, access));
    };
  }

  private Principal principal(Context ctx, Access access) {
    String token = bearer(ctx).orElseThrow(HttpProblem::unauthorized);
    if (token.startsWith(PortalTokens.TOKEN_PREFIX)) {
      PortalToken t = portal.verify(token).orElseThrow(HttpProblem::unauthorized);
      if (access != Access.PORTAL) {
        throw HttpProblem.forbidden();
      }
      return t.principal();
    }
    ApiKey key = keys.authenticate(token).orElseThrow(HttpProblem::unauthorized);
    if (access == Access.PORTAL || (access == Access.WRITE && key.kind() == KeyKind.READ_ONLY)) {
      throw HttpProblem.forbidden();
    }
    return Principal.of(key);
  }

  private boolean adminTokenPresented(Context ctx) {
    Optional<String> token = bearer(ctx);
    return token.isPresent() && MessageDigest.isEqual(token.get().getBytes(StandardCharsets.UTF_8), adminToken);
  }

  private static Optional<String> bearer(Context ctx) {
    String h = ctx.header("Authorization");
    if (h == null || h.length() < 8 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String token = h.substring(7).trim();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }

  static boolean loopback(Context ctx) {
    try {
      // The peer's address as the socket saw it; forwarding headers are ignored on purpose.
      return InetAddress.getByName(ctx.req().getRemoteAddr()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
