package dev.tally.api;

/** Why a {@link TallyException} was thrown; each code says whose fault it is, which the edges turn into a status. */
public enum ErrorCode {
  /** The input is malformed or breaks a rule (HTTP 400, exit code 1). */
  INVALID_INPUT(Kind.USER),
  /** The named thing does not exist (HTTP 404, exit code 1). */
  NOT_FOUND(Kind.USER),
  /** The request conflicts with the current state (HTTP 409, exit code 1). */
  CONFLICT(Kind.USER),
  /** The input is larger than a documented limit (HTTP 413, exit code 1). */
  TOO_LARGE(Kind.USER),
  /** The store is busy or held by another process (HTTP 503, exit code 3). */
  UNAVAILABLE(Kind.EXTERNAL),
  /** A bug or an unexpected failure (HTTP 500, exit code 3). */
  INTERNAL(Kind.INTERNAL);

  /** Whose fault an error is. */
  public enum Kind {
    USER,
    INTERNAL,
    EXTERNAL
  }

  private final Kind kind;

  ErrorCode(Kind kind) {
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
