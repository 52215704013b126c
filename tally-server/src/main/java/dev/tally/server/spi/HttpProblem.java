package dev.tally.server.spi;

import static java.util.Objects.requireNonNull;

import dev.tally.api.Problem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A failure that has an HTTP answer of its own (401, 403, 413, 415, 503 with {@code Retry-After}...), as opposed to a
 * {@link dev.tally.api.TallyException}, whose status the edge derives from its error code. Rendered as
 * {@code application/problem+json} by {@link ProblemResponses}.
 */
public final class HttpProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String type;
  private final List<Problem> problems;
  private final Map<String, String> headers;

  /**
   * @param status the HTTP status
   * @param type the problem type's last part ({@code unauthorized}, {@code payload-too-large}...)
   * @param detail what happened, for a person
   * @param problems field-level problems, possibly none
   * @param headers response headers to add (such as {@code Retry-After})
   */
  public HttpProblem(int status, String type, String detail, List<Problem> problems, Map<String, String> headers) {
    super(requireNonNull(detail, "detail is null"), null, false, false);
    this.status = status;
    this.type = requireNonNull(type, "type is null");
    this.problems = List.copyOf(problems);
    this.headers = Map.copyOf(new LinkedHashMap<>(headers));
  }

  public HttpProblem(int status, String type, String detail) {
    this(status, type, detail, List.of(), Map.of());
  }

  /** 400 with field-level problems. */
  public static HttpProblem badRequest(String detail, List<Problem> problems) {
    return new HttpProblem(400, "invalid-input", detail, problems, Map.of());
  }

  /** 401: the same answer for a missing, malformed, unknown, revoked or expired credential. */
  public static HttpProblem unauthorized() {
    return new HttpProblem(401, "unauthorized", "a valid API key is required: send 'Authorization: Bearer <key>'",
        List.of(), Map.of("WWW-Authenticate", "Bearer"));
  }

  /** 403: the credential is valid but may not do this. */
  public static HttpProblem forbidden() {
    return new HttpProblem(403, "forbidden", "this credential may not do this");
  }

  /** 503 with a hint of when to come back. */
  public static HttpProblem unavailable(String detail, int retryAfterSeconds) {
    return new HttpProblem(503, "unavailable", detail, List.of(),
        Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public List<Problem> problems() {
    return problems;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
