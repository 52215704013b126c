package dev.tally.server.metering;

import static java.util.Objects.requireNonNull;

import dev.tally.api.IngestResult;
import dev.tally.server.spi.HttpProblem;
import dev.tally.server.spi.ServerMetrics;
import dev.tally.store.EventIngestor.Batch;
import dev.tally.store.EventIngestor.Outcome;
import dev.tally.store.EventIngestor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: request threads queue their batches; one writer thread takes everything waiting (up to a limit of
 * events) and commits it in one transaction, so that N concurrent requests cost one commit, not N.
 *
 * <p>Design. The queue is bounded in requests: when it is full, {@link #submit} refuses at once (the caller answers
 * 503 with {@code Retry-After}) instead of letting memory grow. A request's future completes only after the commit
 * that holds its batch has returned, so an acknowledged event is durable. Every batch is judged alone before it is
 * queued (see {@code EventIngestor.check}); if a group's commit still fails, its batches are committed apart (bisect),
 * so that only the batch that caused the failure fails, and nothing of it is stored; since no id is marked seen
 * before its commit, a retry counts once.
 * Closing stops new submissions, commits whatever is queued, and then stops the writer.
 */
public final class GroupCommitter {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

  private record Pending(Batch batch, CompletableFuture<Outcome> done) {}

  private final java.util.function.Function<List<Batch>, List<Outcome>> ingestor;
  private final ServerMetrics metrics;
  private final int maxEventsPerCommit;
  private final BlockingQueue<Pending> queue;
  private final Thread writer;
  private volatile boolean closing;

  public GroupCommitter(EventIngestor ingestor, ServerMetrics metrics, int queueCapacity, int maxEventsPerCommit) {
    this(ingestor::ingestAll, metrics, queueCapacity, maxEventsPerCommit);
  }

  /**
   * A group committer over any write path that takes batches and answers once they are durable: the store's own
   * transaction, or the log-first path ({@code DurableIngestor}).
   */
  public GroupCommitter(java.util.function.Function<List<Batch>, List<Outcome>> ingestor, ServerMetrics metrics,
      int queueCapacity, int maxEventsPerCommit) {
    this.ingestor = requireNonNull(ingestor, "ingestor is null");
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.maxEventsPerCommit = maxEventsPerCommit;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    metrics.queueDepth(queue::size);
    this.writer = new Thread(this::run, "tally-ingest-writer");
    writer.start();
  }

  /**
   * Queues a batch for the next commit.
   *
   * @return a future completed with the batch's outcome once committed, or exceptionally if the commit failed
   * @throws HttpProblem 503 if the queue is full or the server is closing
   */
  CompletableFuture<Outcome> submit(Batch batch) {
    if (closing) {
      throw HttpProblem.unavailable("the server is shutting down; retry later", 5);
    }
    Pending p = new Pending(batch, new CompletableFuture<>());
    if (!queue.offer(p)) {
      throw HttpProblem.unavailable("the write queue is full (" + (queue.size() + queue.remainingCapacity())
          + " requests); retry after the time in Retry-After", 1);
    }
    return p.done();
  }

  public int depth() {
    return queue.size();
  }

  private void run() {
    List<Pending> group = new ArrayList<>();
    while (true) {
      try {
        Pending first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closing && queue.isEmpty()) {
            return;
          }
          continue;
        }
        group.add(first);
        long events = first.batch().events().size();
        Pending next;
        // Take what is already waiting, without waiting for more: latency stays one commit at low load.
        while (events < maxEventsPerCommit && (next = queue.peek()) != null
            && events + next.batch().events().size() <= maxEventsPerCommit) {
          group.add(queue.poll());
          events += next.batch().events().size();
        }
        commit(group, events);
      } catch (InterruptedException e) {
        // Only close() interrupts, after the queue is drained; nothing is left behind.
        return;
      } finally {
        group.clear();
      }
    }
  }

  private void commit(List<Pending> group, long events) {
    long start = System.nanoTime();
    List<Outcome> outcomes;
    try {
      outcomes = ingestor.apply(group.stream().map(Pending::batch).toList());
    } catch (RuntimeException e) {
      if (group.size() > 1) {
        // Every batch was judged alone before it was queued, so a failed group is rare; when one happens, the
        // batches are committed apart, halving each time, so that the failure reaches only the batch that caused
        // it and every other tenant's and request's events are stored. Nothing of a failed commit was stored, so
        // committing a batch again counts it once.
        LOG.warn("group commit of {} request(s), {} events failed ({}); committing them apart to isolate the cause",
            group.size(), events, e.getMessage());
        List<Pending> first = group.subList(0, group.size() / 2);
        List<Pending> second = group.subList(group.size() / 2, group.size());
        commit(first, eventsOf(first));
        commit(second, eventsOf(second));
        return;
      }
      LOG.warn("commit of one request, {} events, failed; nothing of it was stored: {}", events, e.getMessage());
      metrics.rejected(events);
      group.get(0).done().completeExceptionally(e);
      return;
    }
    long stored = 0;
    long dups = 0;
    for (int i = 0; i < group.size(); i++) {
      Outcome o = outcomes.get(i);
      if (o.accepted()) {
        IngestResult r = o.result().orElseThrow();
        stored += r.stored();
        dups += r.duplicates();
      } else {
        metrics.rejected(group.get(i).batch().events().size());
      }
    }
    metrics.committed(events, stored, dups, System.nanoTime() - start);
    for (int i = 0; i < group.size(); i++) {
      group.get(i).done().complete(outcomes.get(i));
    }
  }

  private static long eventsOf(List<Pending> group) {
    return group.stream().mapToLong(p -> p.batch().events().size()).sum();
  }

  /** Refuses new batches, commits those queued, and stops the writer. */
  public void close() throws InterruptedException {
    closing = true;
    writer.join(TimeUnit.MINUTES.toMillis(2));
    if (writer.isAlive()) {
      writer.interrupt();
      writer.join();
    }
  }
}
