package dev.tally.server.metering;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.api.Problem;
import dev.tally.core.json.Json;
import dev.tally.server.auth.Principal;
import dev.tally.server.spi.Access;
import dev.tally.server.spi.ApiRoutes;
import dev.tally.server.spi.Bodies;
import dev.tally.server.spi.HttpProblem;
import dev.tally.server.spi.Routes;
import dev.tally.store.subjects.Subject;
import dev.tally.store.subjects.SubjectStore;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * OpenMeter's subjects: {@code GET/POST /api/v1/subjects}, {@code GET/DELETE /api/v1/subjects/{subjectIdOrKey}}, so
 * that an OpenMeter client can say who a subject is (a customer's name, CRM ids) and read it back.
 *
 * <p>{@code POST} takes an array of {@code SubjectUpsert} ({@code key} required; {@code displayName},
 * {@code metadata}, {@code currentPeriodStart}, {@code currentPeriodEnd}, {@code stripeCustomerId} optional) and
 * answers the subjects as stored, 200. As OpenMeter documents, a subject that exists is updated with the fields given:
 * an absent field keeps its value and a field sent as {@code null} is cleared. The array is validated whole and
 * stored in one transaction: one bad subject stores none, and every problem is named by its index and field.
 */
public final class SubjectRoutes implements ApiRoutes {
  static final String LIST = "/api/v1/subjects";
  static final String ONE = "/api/v1/subjects/{subjectIdOrKey}";

  /** The most subjects in one upsert. */
  static final int MAX_BATCH = 1000;
  private static final int MAX_KEY = 256;
  private static final int MAX_TEXT = 1024;
  private static final Set<String> FIELDS = Set.of("id", "key", "displayName", "metadata", "currentPeriodStart",
      "currentPeriodEnd", "stripeCustomerId");

  private final SubjectStore subjects;
  // Reading the stored subject and merging the fields given is one step, so two upserts of one key do not lose
  // each other's fields.
  private final Object upsertLock = new Object();

  public SubjectRoutes(SubjectStore subjects) {
    this.subjects = subjects;
  }

  @Override
  public void register(Routes routes) {
    routes.get(LIST, Access.READ, this::list);
    routes.post(LIST, Access.WRITE, this::upsert);
    routes.get(ONE, Access.READ, this::get);
    routes.delete(ONE, Access.WRITE, this::delete);
  }

  private void list(Context ctx) {
    ArrayNode out = Json.json().createArrayNode();
    subjects.list(Routes.principal(ctx).tenant()).forEach(s -> out.add(json(s)));
    respond(ctx, out);
  }

  private void get(Context ctx) {
    String keyOrId = ctx.pathParam("subjectIdOrKey");
    respond(ctx, json(subjects.find(Routes.principal(ctx).tenant(), keyOrId)
        .orElseThrow(() -> SubjectStore.notFound(keyOrId))));
  }

  private void delete(Context ctx) {
    subjects.delete(Routes.principal(ctx).tenant(), ctx.pathParam("subjectIdOrKey"));
    ctx.status(204);
  }

  private void upsert(Context ctx) {
    Principal p = Routes.principal(ctx);
    JsonNode body = body(ctx);
    List<JsonNode> items = new ArrayList<>();
    if (body.isArray()) {
      body.forEach(items::add);
    } else {
      items.add(body);
    }
    if (items.isEmpty()) {
      throw HttpProblem.badRequest("no subjects to upsert", List.of(Problem.of("body", "is an empty array")));
    }
    if (items.size() > MAX_BATCH) {
      throw HttpProblem.badRequest("at most " + MAX_BATCH + " subjects per request",
          List.of(Problem.of("body", "has " + items.size() + " subjects; at most " + MAX_BATCH)));
    }
    List<Subject> stored;
    synchronized (upsertLock) {
      List<Problem> problems = new ArrayList<>();
      List<Subject> merged = new ArrayList<>();
      Set<String> keys = new HashSet<>();
      for (int i = 0; i < items.size(); i++) {
        merged.add(merge(p.tenant(), items.get(i), i, keys, problems));
      }
      if (!problems.isEmpty()) {
        throw HttpProblem.badRequest(problems.size() == 1 ? "a subject is invalid; none was stored"
            : problems.size() + " problems in the subjects; none was stored", problems);
      }
      stored = subjects.putAll(p.tenant(), merged);
    }
    ArrayNode out = Json.json().createArrayNode();
    stored.forEach(s -> out.add(json(s)));
    respond(ctx, out);
  }

  /** The stored subject of the item's key (if any) with the item's fields applied; problems are collected. */
  private Subject merge(String tenant, JsonNode item, int index, Set<String> keys, List<Problem> problems) {
    int before = problems.size();
    if (!item.isObject()) {
      problems.add(Problem.of("body", "must be a subject object").atIndex(index));
      return null;
    }
    item.fieldNames().forEachRemaining(f -> {
      if (!FIELDS.contains(f)) {
        problems.add(Problem.of(f, "is not a subject field (key, displayName, metadata, currentPeriodStart, "
            + "currentPeriodEnd, stripeCustomerId)").atIndex(index));
      }
    });
    JsonNode k = item.get("key");
    String key = k != null && k.isTextual() ? k.asText() : null;
    if (key == null || key.isBlank() || key.length() > MAX_KEY || key.chars().anyMatch(Character::isISOControl)) {
      problems.add(Problem.of("key", "is required: the events' subject, 1-" + MAX_KEY + " characters without "
          + "control characters", k == null ? null : k.toString()).atIndex(index));
      return null;
    }
    if (!keys.add(key)) {
      problems.add(Problem.of("key", "appears twice in this request", key).atIndex(index));
    }
    Optional<Subject> old = subjects.find(tenant, key).filter(s -> s.key().equals(key));
    JsonNode id = item.get("id");
    if (id != null && !id.isNull() && !(old.isPresent() && old.get().id().equals(id.asText()))) {
      problems.add(Problem.of("id", "is Tally's and cannot be set; leave it out", id.asText()).atIndex(index));
    }
    Optional<String> displayName = text(item, "displayName", old.flatMap(Subject::displayName), index, problems);
    Optional<String> stripe = text(item, "stripeCustomerId", old.flatMap(Subject::stripeCustomerId), index,
        problems);
    Optional<Map<String, Object>> metadata = old.flatMap(Subject::metadata);
    if (item.has("metadata")) {
      JsonNode m = item.get("metadata");
      if (m.isNull()) {
        metadata = Optional.empty();
      } else if (!m.isObject()) {
        problems.add(Problem.of("metadata", "must be a JSON object", m.toString()).atIndex(index));
      } else {
        metadata = Optional.of(Json.json().convertValue(m, new TypeReference<Map<String, Object>>() {}));
      }
    }
    Optional<Instant> start = time(item, "currentPeriodStart", old.flatMap(Subject::currentPeriodStart), index,
        problems);
    Optional<Instant> end = time(item, "currentPeriodEnd", old.flatMap(Subject::currentPeriodEnd), index, problems);
    if (start.isPresent() && end.isPresent() && !end.get().isAfter(start.get())) {
      problems.add(Problem.of("currentPeriodEnd", "must be after currentPeriodStart " + start.get(),
          end.get().toString()).atIndex(index));
    }
    if (problems.size() > before) {
      return null;
    }
    return new Subject(old.map(Subject::id).orElse(""), key, displayName, metadata, start, end, stripe);
  }

  private static Optional<String> text(JsonNode item, String field, Optional<String> old, int index,
      List<Problem> problems) {
    return patched(item, field, old, index, problems, v -> v.isTextual() && v.asText().length() <= MAX_TEXT
        ? Optional.of(v.asText()) : Optional.empty(),
        "must be a string of at most " + MAX_TEXT + " characters, or null", JsonNode::toString);
  }

  private static Optional<Instant> time(JsonNode item, String field, Optional<Instant> old, int index,
      List<Problem> problems) {
    return patched(item, field, old, index, problems, v -> {
      try {
        return Optional.of(OffsetDateTime.parse(v.asText()).toInstant());
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }, "must be an RFC 3339 date-time with an offset, e.g. 2024-01-01T00:00:00Z, or null", JsonNode::asText);
  }

  /**
   * A field of a subject's patch: the old value when the field is absent, nothing when it is null, else what
   * {@code read} makes of it; a value {@code read} refuses (empty) is a problem saying what the field must be, and
   * the old value stays.
   */
  private static <T> Optional<T> patched(JsonNode item, String field, Optional<T> old, int index,
      List<Problem> problems, Function<JsonNode, Optional<T>> read, String mustBe, Function<JsonNode, String> given) {
    if (!item.has(field)) {
      return old;
    }
    JsonNode v = item.get(field);
    if (v.isNull()) {
      return Optional.empty();
    }
    Optional<T> value = read.apply(v);
    if (value.isEmpty()) {
      problems.add(Problem.of(field, mustBe, given.apply(v)).atIndex(index));
      return old;
    }
    return value;
  }

  private static ObjectNode json(Subject s) {
    return s.toJson();
  }

  private static JsonNode body(Context ctx) {
    String type = Bodies.mediaType(ctx);
    if (!type.equals("application/json")) {
      throw new HttpProblem(415, "unsupported-media-type", "send the subjects as application/json",
          List.of(Problem.of("Content-Type", "must be application/json", type.isEmpty() ? "(none)" : type)),
          Map.of());
    }
    try {
      JsonNode node = Json.json().readTree(Bodies.read(ctx, Bodies.SMALL_BODY));
      if (node == null || !node.isArray() && !node.isObject()) {
        throw HttpProblem.badRequest("the body must be an array of subjects",
            List.of(Problem.of("body", "must be a JSON array of subjects")));
      }
      return node;
    } catch (JsonProcessingException e) {
      throw HttpProblem.badRequest("the body is not valid JSON",
          List.of(Problem.of("body", "is not valid JSON: " + e.getOriginalMessage())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void respond(Context ctx, JsonNode body) {
    ctx.status(200);
    ctx.contentType("application/json");
    ctx.result(body.toString());
  }
}
