package dev.tally.api;

/**
 * What an ingest did: how many events were read, newly stored, recognised as duplicates, and rejected.
 * {@code read == stored + duplicates + rejected} always holds.
 */
public record IngestResult(long read, long stored, long duplicates, long rejected) {
  public static final IngestResult EMPTY = new IngestResult(0, 0, 0, 0);

  public IngestResult {
    if (read != stored + duplicates + rejected) {
      throw new IllegalArgumentException(
          "read (" + read + ") != stored + duplicates + rejected (" + stored + "+" + duplicates + "+" + rejected + ")");
    }
  }

  /** The sum of two results, for imports of several batches or files. */
  public IngestResult plus(IngestResult other) {
    return new IngestResult(
        read + other.read, stored + other.stored, duplicates + other.duplicates, rejected + other.rejected);
  }
}
