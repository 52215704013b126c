package dev.tally.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.api.ErrorCode;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.json.Json;
import dev.tally.server.spi.HttpProblem;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error answer as RFC 9457 {@code application/problem+json}: {@code type}, {@code title}, {@code status},
 * {@code detail}, {@code instance} (the request's id), and {@code problems}, a list of field-level problems, each with
 * {@code field}, {@code message} and, where they apply, {@code index} (of the event in the batch) and {@code given}.
 *
 * <p>Internal errors say only that something went wrong and the request id; the cause goes to the server log, never
 * to the client, so that no detail of the store (or of another tenant) leaks.
 */
final class ProblemResponses {
  static final String MEDIA_TYPE = "application/problem+json";
  static final String TYPE_BASE = "urn:tally:problem:";

  private static final Logger LOG = LoggerFactory.getLogger(ProblemResponses.class);

  private ProblemResponses() {}

  static void write(Context ctx, HttpProblem p) {
    p.headers().forEach(ctx::header);
    write(ctx, p.status(), p.type(), p.getMessage(), p.problems());
  }

  static void write(Context ctx, TallyException e) {
    ErrorCode code = e.code();
    if (code.kind() == ErrorCode.Kind.INTERNAL) {
      internal(ctx, e);
      return;
    }
    int status = switch (code) {
      case INVALID_INPUT -> 400;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case TOO_LARGE -> 413;
      case UNAVAILABLE -> 503;
      case INTERNAL -> 500;
    };
    if (status == 503) {
      LOG.warn("request {} unavailable: {}", RequestIds.of(ctx), e.getMessage(), e);
      ctx.header("Retry-After", "1");
      // The store's message may name paths; a client only needs to know to come back.
      write(ctx, 503, "unavailable", "the service is temporarily unavailable; retry later", List.of());
      return;
    }
    write(ctx, status, code.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), e.getMessage(),
        e.problems());
  }

  static void write(Context ctx, HttpResponseException e) {
    int status = e.getStatus();
    String type = switch (status) {
      case 404 -> "not-found";
      case 405 -> "method-not-allowed";
      case 413 -> "payload-too-large";
      default -> "http-" + status;
    };
    String detail = status == 404 ? "no such route: " + ctx.method() + " " + ctx.path() : e.getMessage();
    write(ctx, status, type, detail, List.of());
  }

  static void internal(Context ctx, Exception e) {
    LOG.error("request {} failed: {} {}", RequestIds.of(ctx), ctx.method(), ctx.path(), e);
    write(ctx, 500, "internal", "internal error; the server log has the details under request id "
        + RequestIds.of(ctx), List.of());
  }

  static void write(Context ctx, int status, String type, String detail, List<Problem> problems) {
    ObjectNode n = Json.json().createObjectNode();
    n.put("type", TYPE_BASE + type);
    n.put("title", title(status));
    n.put("status", status);
    n.put("detail", detail);
    n.put("instance", "urn:request:" + RequestIds.of(ctx));
    if (!problems.isEmpty()) {
      ArrayNode list = n.putArray("problems");
      for (Problem p : problems) {
        ObjectNode o = list.addObject();
        p.index().ifPresent(i -> o.put("index", i));
        p.line().ifPresent(l -> o.put("line", l));
        o.put("field", p.field());
        o.put("message", p.message());
        p.given().ifPresent(g -> o.put("given", g));
      }
    }
    ctx.status(status);
    ctx.contentType(MEDIA_TYPE);
    ctx.result(n.toString());
  }

  private static final Map<Integer, String> TITLES = Map.ofEntries(
      Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"),
      Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"), Map.entry(409, "Conflict"),
      Map.entry(413, "Content Too Large"), Map.entry(415, "Unsupported Media Type"),
      Map.entry(429, "Too Many Requests"), Map.entry(500, "Internal Server Error"),
      Map.entry(503, "Service Unavailable"));

  private static String title(int status) {
    return TITLES.getOrDefault(status, "HTTP " + status);
  }
}
