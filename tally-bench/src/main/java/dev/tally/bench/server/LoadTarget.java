package dev.tally.bench.server;

/** Something that takes one request's worth of events and answers once they are durable. */
interface LoadTarget extends AutoCloseable {
  /**
   * Sends request number {@code request} holding {@code events} new events; returns when acknowledged.
   *
   * @throws Exception when the request failed (counted as an error, not as throughput)
   */
  void send(long request, int events) throws Exception;

  /** A per-thread copy when the target holds a connection (JDBC), or this one when it is shared (HTTP). */
  LoadTarget forThread() throws Exception;

  @Override
  void close() throws Exception;
}
