package dev.tally.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.api.Event;
import dev.tally.api.IngestResult;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.json.Json;
import dev.tally.core.time.Timestamps;
import dev.tally.server.auth.Principal;
import dev.tally.store.EventIngestor.Batch;
import dev.tally.store.EventIngestor.Outcome;
import dev.tally.store.TallyStore;
import io.javalin.http.Context;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /api/v1/events} (ingest, answered 204 only once committed) and {@code GET /api/v1/events} (recent events
 * of the caller's tenant, with their ingest time).
 */
final class EventRoutes implements ApiRoutes {
  static final String PATH = "/api/v1/events";
  /** Headers of a successful ingest: how many events were new, and how many were already stored. */
  static final String STORED_HEADER = "Tally-Events-Stored";
  static final String DUPLICATES_HEADER = "Tally-Events-Duplicates";

  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 1000;
  private static final Set<String> LIST_PARAMS =
      Set.of("from", "to", "ingestedAtFrom", "ingestedAtTo", "subject", "id", "limit", "clientId");

  private final TallyStore store;
  private final GroupCommitter committer;
  private final ServerLimits limits;

  EventRoutes(TallyStore store, GroupCommitter committer, ServerLimits limits) {
    this.store = store;
    this.committer = committer;
    this.limits = limits;
  }

  @Override
  public void register(Routes routes) {
    routes.post(PATH, Access.WRITE, this::ingest);
    routes.get(PATH, Access.READ, this::list);
  }

  private void ingest(Context ctx) throws InterruptedException {
    Principal principal = Routes.principal(ctx);
    byte[] body = Bodies.read(ctx, limits.maxBodyBytes());
    List<Event> events = EventBodies.decode(Bodies.mediaType(ctx), body, limits.maxBatchEvents());
    IngestResult result = events.isEmpty() ? IngestResult.EMPTY : commit(principal.tenant(), events);
    ctx.header(STORED_HEADER, Long.toString(result.stored()));
    ctx.header(DUPLICATES_HEADER, Long.toString(result.duplicates()));
    ctx.status(204);
  }

  private IngestResult commit(String tenant, List<Event> events) throws InterruptedException {
    Batch batch = new Batch(tenant, events, store.clock().instant());
    // Judged alone first: a batch that can never be stored is refused here, before it can share a commit.
    List<Problem> misfits = store.ingestor().check(batch);
    if (!misfits.isEmpty()) {
      throw misfitting(misfits, events.size());
    }
    CompletableFuture<Outcome> done = committer.submit(batch);
    Outcome outcome;
    try {
      outcome = done.get(limits.commitWait().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw HttpProblem.unavailable("the commit did not finish in time; the events may or may not be stored, and "
          + "sending them again is safe (an event already stored counts once)", 5);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TallyException te) {
        throw te;
      }
      throw new IllegalStateException("group commit failed", e.getCause());
    }
    if (!outcome.accepted()) {
      throw misfitting(outcome.problems(), events.size());
    }
    return outcome.result().orElseThrow();
  }

  private static HttpProblem misfitting(List<Problem> problems, int events) {
    long bad = problems.stream().map(p -> p.index().orElse(0)).distinct().count();
    return HttpProblem.badRequest(bad + " of " + events + " event(s) do not fit a meter; nothing was stored",
        problems);
  }

  private void list(Context ctx) throws IOException {
    Principal principal = Routes.principal(ctx);
    Map<String, List<String>> params = ctx.queryParamMap();
    List<Problem> problems = new ArrayList<>();
    params.keySet().stream().filter(k -> !LIST_PARAMS.contains(k)).sorted()
        .forEach(k -> problems.add(Problem.of(k, "is not a parameter of this endpoint (expected one of from, to, "
            + "ingestedAtFrom, ingestedAtTo, subject, id, limit)")));
    StringBuilder where = new StringBuilder(" WHERE tenant = ?");
    List<Object> args = new ArrayList<>(List.of(principal.tenant()));
    bound(params, "from", "ts >= ?", where, args, problems);
    bound(params, "to", "ts < ?", where, args, problems);
    bound(params, "ingestedAtFrom", "ingested_at >= ?", where, args, problems);
    bound(params, "ingestedAtTo", "ingested_at < ?", where, args, problems);
    List<String> subjects = params.getOrDefault("subject", List.of());
    if (!subjects.isEmpty()) {
      where.append(" AND subject IN (").append("?, ".repeat(subjects.size() - 1)).append("?)");
      args.addAll(subjects);
    }
    String id = ctx.queryParam("id");
    if (id != null) {
      where.append(" AND id = ?");
      args.add(id);
    }
    int limit = limit(ctx.queryParam("limit"), problems);
    if (!problems.isEmpty()) {
      throw HttpProblem.badRequest("invalid parameters", problems);
    }
    String sql = "SELECT id, source, type, subject, ts, ingested_at, data, datacontenttype, dataschema FROM events"
        + where + " ORDER BY ts DESC, seq DESC LIMIT " + limit;
    // Read-your-writes as for usage queries: with acknowledgement from the log, wait for the loader to pass what was
    // durable when this listing started, so an event just acknowledged is listed.
    store.awaitAcknowledgedWrites();
    ArrayNode out = store.read(c -> {
      ArrayNode a = Json.json().createArrayNode();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < args.size(); i++) {
          ps.setObject(i + 1, args.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            a.add(row(rs));
          }
        }
      }
      return a;
    });
    ctx.contentType("application/json");
    ctx.result(out.toString());
  }

  private static ObjectNode row(ResultSet rs) throws java.sql.SQLException {
    ObjectNode item = Json.json().createObjectNode();
    ObjectNode e = item.putObject("event");
    e.put("id", rs.getString(1));
    e.put("source", rs.getString(2));
    e.put("specversion", Event.SPEC_VERSION);
    e.put("type", rs.getString(3));
    e.put("subject", rs.getString(4));
    e.put("time", rs.getObject(5, OffsetDateTime.class).toInstant().toString());
    try {
      e.set("data", Json.json().readTree(rs.getString(7)));
    } catch (IOException ex) {
      throw new IllegalStateException("stored event data is not JSON", ex);
    }
    if (rs.getString(8) != null) {
      e.put("datacontenttype", rs.getString(8));
    }
    if (rs.getString(9) != null) {
      e.put("dataschema", rs.getString(9));
    }
    String ingested = rs.getObject(6, OffsetDateTime.class).toInstant().toString();
    item.put("ingestedAt", ingested);
    // Tally acknowledges only after the commit, so an event is stored when it is ingested.
    item.put("storedAt", ingested);
    return item;
  }

  private static void bound(Map<String, List<String>> params, String name, String predicate, StringBuilder where,
      List<Object> args, List<Problem> problems) {
    List<String> v = params.get(name);
    if (v == null || v.isEmpty()) {
      return;
    }
    try {
      Instant t = Timestamps.parse(v.get(0));
      where.append(" AND ").append(predicate);
      args.add(OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
    } catch (IllegalArgumentException e) {
      problems.add(Problem.of(name, e.getMessage(), v.get(0)));
    }
  }

  private static int limit(String text, List<Problem> problems) {
    if (text == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int n = Integer.parseInt(text.trim());
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(Problem.of("limit", "must be a whole number from 1 to " + MAX_LIMIT, text));
    return DEFAULT_LIMIT;
  }
}
