package dev.tally.server.metering;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.api.Event;
import dev.tally.api.IngestResult;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.json.Json;
import dev.tally.core.time.Timestamps;
import dev.tally.server.auth.Principal;
import dev.tally.server.spi.Access;
import dev.tally.server.spi.ApiRoutes;
import dev.tally.server.spi.Bodies;
import dev.tally.server.spi.HttpProblem;
import dev.tally.server.spi.Routes;
import dev.tally.server.spi.ServerLimits;
import dev.tally.store.EventIngestor.Batch;
import dev.tally.store.EventIngestor.Outcome;
import dev.tally.store.EventListing;
import dev.tally.store.TallyStore;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /api/v1/events} (ingest, answered 204 only once committed) and {@code GET /api/v1/events} (recent events
 * of the caller's tenant, with their ingest time).
 */
public final class EventRoutes implements ApiRoutes {
  static final String PATH = "/api/v1/events";
  /** Headers of a successful ingest: how many events were new, and how many were already stored. */
  static final String STORED_HEADER = "Tally-Events-Stored";
  static final String DUPLICATES_HEADER = "Tally-Events-Duplicates";

  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = EventListing.MAX_LIMIT;
  /** The listing's parameters, in the order its error message names them ({@code clientId} is OpenMeter's, ignored). */
  private static final Set<String> LIST_PARAMS = new LinkedHashSet<>(
      List.of("from", "to", "ingestedAtFrom", "ingestedAtTo", "subject", "id", "limit", "clientId"));

  private final TallyStore store;
  private final GroupCommitter committer;
  private final ServerLimits limits;

  public EventRoutes(TallyStore store, GroupCommitter committer, ServerLimits limits) {
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

  private void list(Context ctx) {
    Principal principal = Routes.principal(ctx);
    Map<String, List<String>> params = ctx.queryParamMap();
    List<Problem> problems = new ArrayList<>();
    params.keySet().stream().filter(k -> !LIST_PARAMS.contains(k)).sorted()
        .forEach(k -> problems.add(Problem.of(k, "is not a parameter of this endpoint (expected one of "
            + String.join(", ", LIST_PARAMS) + ")")));
    EventListing.Range time = range(params, "from", "to", problems);
    EventListing.Range ingestedAt = range(params, "ingestedAtFrom", "ingestedAtTo", problems);
    String id = ctx.queryParam("id");
    int limit = limit(ctx.queryParam("limit"), problems);
    if (!problems.isEmpty()) {
      throw HttpProblem.badRequest("invalid parameters", problems);
    }
    List<EventListing.Listed> listed = store.events().list(new EventListing.Filter(principal.tenant(), time,
        ingestedAt, params.getOrDefault("subject", List.of()), Optional.ofNullable(id), limit));
    ArrayNode out = Json.json().createArrayNode();
    for (EventListing.Listed l : listed) {
      out.add(item(l));
    }
    ctx.contentType("application/json");
    ctx.result(out.toString());
  }

  private static ObjectNode item(EventListing.Listed l) {
    ObjectNode item = Json.json().createObjectNode();
    ObjectNode e = item.putObject("event");
    Event ev = l.event();
    e.put("id", ev.id());
    e.put("source", ev.source());
    e.put("specversion", ev.specversion());
    e.put("type", ev.type());
    e.put("subject", ev.subject());
    ev.time().ifPresent(t -> e.put("time", t.toString()));
    try {
      e.set("data", Json.json().readTree(ev.data()));
    } catch (IOException ex) {
      throw new IllegalStateException("stored event data is not JSON", ex);
    }
    ev.datacontenttype().ifPresent(v -> e.put("datacontenttype", v));
    ev.dataschema().ifPresent(v -> e.put("dataschema", v));
    String ingested = l.ingestedAt().toString();
    item.put("ingestedAt", ingested);
    // OpenMeter's storedAt is when the event reached its store. Tally's acknowledgement already means durable (in
    // the log, or in the store on the --no-ack-from-log path), so the two times are one.
    item.put("storedAt", ingested);
    return item;
  }

  private static EventListing.Range range(Map<String, List<String>> params, String fromName, String toName,
      List<Problem> problems) {
    return new EventListing.Range(instant(params, fromName, problems), instant(params, toName, problems));
  }

  private static Optional<Instant> instant(Map<String, List<String>> params, String name, List<Problem> problems) {
    List<String> v = params.get(name);
    if (v == null || v.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Timestamps.parse(v.get(0)));
    } catch (IllegalArgumentException e) {
      problems.add(Problem.of(name, e.getMessage(), v.get(0)));
      return Optional.empty();
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
