package dev.tally.api;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The one unchecked exception Tally throws on purpose. It carries an {@link ErrorCode} and, for bad input, every
 * {@link Problem} found (not just the first), so a user can fix a whole file in one go.
 */
public class TallyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final List<Problem> problems;

  public TallyException(ErrorCode code, String message) {
    this(code, message, List.of(), null);
  }

  public TallyException(ErrorCode code, String message, Throwable cause) {
    this(code, message, List.of(), cause);
  }

  public TallyException(ErrorCode code, String message, List<Problem> problems) {
    this(code, message, problems, null);
  }

  public TallyException(ErrorCode code, String message, List<Problem> problems, Throwable cause) {
    super(requireNonNull(message, "message is null"), cause);
    this.code = requireNonNull(code, "code is null");
    this.problems = List.copyOf(problems);
  }

  /** Bad input with a list of problems. */
  public static TallyException invalid(String message, List<Problem> problems) {
    return new TallyException(ErrorCode.INVALID_INPUT, message, problems);
  }

  /** Bad input with one problem. */
  public static TallyException invalid(Problem problem) {
    return new TallyException(ErrorCode.INVALID_INPUT, problem.describe(), List.of(problem));
  }

  public ErrorCode code() {
    return code;
  }

  public List<Problem> problems() {
    return problems;
  }
}
