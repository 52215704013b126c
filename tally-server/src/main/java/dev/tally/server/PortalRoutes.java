package dev.tally.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.api.Problem;
import dev.tally.core.events.EventLimits;
import dev.tally.core.json.Json;
import dev.tally.core.time.Timestamps;
import dev.tally.server.auth.PortalTokens;
import dev.tally.server.auth.Principal;
import dev.tally.server.spi.Access;
import dev.tally.server.spi.ApiRoutes;
import dev.tally.server.spi.Bodies;
import dev.tally.server.spi.HttpProblem;
import dev.tally.server.spi.JsonFields;
import dev.tally.server.spi.Routes;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /api/v1/portal/tokens}: a full API key issues a consumer-portal token for one subject of its tenant,
 * with OpenMeter's body ({@code subject}, optional {@code expiresAt}, optional {@code allowedMeterSlugs}) and answer;
 * {@code POST /api/v1/portal/tokens/invalidate} invalidates one ({@code id}) or all of a subject's ({@code subject}).
 */
final class PortalRoutes implements ApiRoutes {
  static final String TOKENS = "/api/v1/portal/tokens";
  static final String INVALIDATE = "/api/v1/portal/tokens/invalidate";

  private final PortalTokens tokens;

  PortalRoutes(PortalTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public void register(Routes routes) {
    routes.post(TOKENS, Access.WRITE, this::create);
    routes.post(INVALIDATE, Access.WRITE, this::invalidate);
  }

  /** OpenMeter's invalidate: {@code {"id": ...}} for one token, {@code {"subject": ...}} for all of a subject's. */
  private void invalidate(Context ctx) {
    Principal p = Routes.principal(ctx);
    JsonNode body = Bodies.jsonObject(ctx);
    // A blank id or subject is none given; a non-string is refused naming the field (JsonFields).
    Optional<String> id = JsonFields.optionalText(body, "id").filter(v -> !v.isBlank());
    Optional<String> subject = JsonFields.optionalText(body, "subject").filter(v -> !v.isBlank());
    if (id.isEmpty() && subject.isEmpty()) {
      throw HttpProblem.badRequest("nothing to invalidate", List.of(
          Problem.of("id", "give a token id, a subject, or both"), Problem.of("subject", "give a subject, an id, or both")));
    }
    tokens.invalidate(p.tenant(), id, subject);
    ctx.status(204);
  }

  private void create(Context ctx) {
    Principal p = Routes.principal(ctx);
    JsonNode body = Bodies.jsonObject(ctx);
    List<Problem> problems = new ArrayList<>();
    JsonNode subject = body.get("subject");
    if (subject == null || !subject.isTextual() || subject.textValue().isBlank()) {
      problems.add(Problem.of("subject", "is required: the one subject the token may see"));
    } else if (subject.textValue().length() > EventLimits.MAX_ATTRIBUTE_LENGTH) {
      problems.add(Problem.of("subject", "is longer than " + EventLimits.MAX_ATTRIBUTE_LENGTH + " characters"));
    }
    Duration ttl = PortalTokens.DEFAULT_TTL;
    JsonNode expiresAt = body.get("expiresAt");
    if (expiresAt != null && !expiresAt.isNull()) {
      try {
        Instant at = Timestamps.parse(expiresAt.asText());
        ttl = Duration.between(tokens.now(), at);
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(PortalTokens.MAX_TTL) > 0) {
          problems.add(Problem.of("expiresAt", "must be in the future and at most " + PortalTokens.MAX_TTL.toDays()
              + " days away", expiresAt.asText()));
        }
      } catch (IllegalArgumentException e) {
        problems.add(Problem.of("expiresAt", e.getMessage(), expiresAt.asText()));
      }
    }
    Set<String> allowed = new LinkedHashSet<>();
    JsonNode slugs = body.get("allowedMeterSlugs");
    if (slugs != null && !slugs.isNull()) {
      if (!slugs.isArray()) {
        problems.add(Problem.of("allowedMeterSlugs", "must be a list of meter slugs"));
      } else {
        slugs.forEach(s -> allowed.add(s.asText()));
      }
    }
    if (!problems.isEmpty()) {
      throw HttpProblem.badRequest("invalid portal token request", problems);
    }
    PortalTokens.Issued issued = tokens.issue(p.tenant(), subject.textValue(), allowed, ttl);
    ObjectNode out = Json.json().createObjectNode();
    out.put("id", issued.claims().id());
    out.put("subject", issued.claims().subject());
    out.put("createdAt", issued.claims().createdAt().toString());
    out.put("expiresAt", issued.claims().expiresAt().toString());
    out.put("expired", false);
    out.put("token", issued.token());
    ArrayNode a = out.putArray("allowedMeterSlugs");
    issued.claims().allowedMeters().stream().sorted().forEach(a::add);
    ctx.status(200);
    ctx.contentType("application/json");
    ctx.result(out.toString());
  }
}
