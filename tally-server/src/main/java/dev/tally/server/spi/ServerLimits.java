package dev.tally.server.spi;

import java.time.Duration;

/**
 * The server's documented limits; a request over one gets a clear answer instead of exhausting memory.
 *
 * @param maxBodyBytes largest request body (413 beyond)
 * @param maxBatchEvents most events in one ingest request (413 beyond)
 * @param queueRequests most ingest requests waiting for the writer; when full, new ones get 503 with Retry-After
 * @param maxEventsPerCommit most events the writer commits together
 * @param commitWait longest a request waits for its commit before it is answered 503 (a retry is then safe)
 */
public record ServerLimits(
    long maxBodyBytes, int maxBatchEvents, int queueRequests, int maxEventsPerCommit, Duration commitWait) {
  /** 16 MiB bodies, 10,000 events a batch, 1,024 queued requests, 100,000 events a commit, 30 s commit wait. */
  public static final ServerLimits DEFAULT = new ServerLimits(16L << 20, 10_000, 1024, 100_000, Duration.ofSeconds(30));

  public ServerLimits {
    if (maxBodyBytes < 1024) {
      throw new IllegalArgumentException("maxBodyBytes must be at least 1024, got " + maxBodyBytes);
    }
    if (maxBatchEvents < 1 || queueRequests < 1 || maxEventsPerCommit < 1) {
      throw new IllegalArgumentException("limits must be positive: maxBatchEvents=" + maxBatchEvents
          + ", queueRequests=" + queueRequests + ", maxEventsPerCommit=" + maxEventsPerCommit);
    }
    if (commitWait.isNegative() || commitWait.isZero()) {
      throw new IllegalArgumentException("commitWait must be positive, got " + commitWait);
    }
  }

  public ServerLimits withMaxBodyBytes(long v) {
    return new ServerLimits(v, maxBatchEvents, queueRequests, maxEventsPerCommit, commitWait);
  }

  public ServerLimits withMaxBatchEvents(int v) {
    return new ServerLimits(maxBodyBytes, v, queueRequests, maxEventsPerCommit, commitWait);
  }

  public ServerLimits withQueueRequests(int v) {
    return new ServerLimits(maxBodyBytes, maxBatchEvents, v, maxEventsPerCommit, commitWait);
  }
}
