package dev.tally.server.spi;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The server's metrics, in Prometheus format through Micrometer. Nothing is tagged by tenant: the figures are the
 * operator's, and per-tenant series would leak one tenant's activity to whoever reads them.
 *
 * <ul>
 *   <li>{@code tally_http_requests_seconds} (histogram): by method, route template and status;</li>
 *   <li>{@code tally_events_ingested_total}, {@code tally_events_duplicates_total}, {@code tally_events_rejected_total};</li>
 *   <li>{@code tally_ingest_commit_seconds} (histogram) and {@code tally_ingest_commit_events} (events per commit);</li>
 *   <li>{@code tally_ingest_queue_depth} (requests waiting for the writer);</li>
 *   <li>JVM memory and threads.</li>
 * </ul>
 */
public final class ServerMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter ingested;
  private final Counter duplicates;
  private final Counter rejected;
  private final Timer commit;
  private final DistributionSummary commitEvents;

  public ServerMetrics() {
    ingested = Counter.builder("tally.events.ingested").description("Events newly stored").register(registry);
    duplicates = Counter.builder("tally.events.duplicates").description("Events already stored, counted once")
        .register(registry);
    rejected = Counter.builder("tally.events.rejected").description("Events in rejected batches").register(registry);
    commit = Timer.builder("tally.ingest.commit").description("Time of one group commit")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
    commitEvents = DistributionSummary.builder("tally.ingest.commit.events").description("Events per group commit")
        .register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
  }

  public void queueDepth(Supplier<Number> depth) {
    Gauge.builder("tally.ingest.queue.depth", depth).description("Ingest requests waiting for the writer")
        .register(registry);
  }

  public void request(String method, String route, int status, long nanos) {
    Timer.builder("tally.http.requests").description("HTTP requests")
        .tags("method", method, "route", route, "status", Integer.toString(status))
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  public void committed(long events, long stored, long dups, long nanos) {
    commit.record(nanos, TimeUnit.NANOSECONDS);
    commitEvents.record(events);
    ingested.increment(stored);
    duplicates.increment(dups);
  }

  public void rejected(long events) {
    rejected.increment(events);
  }

  public String scrape() {
    return registry.scrape();
  }
}
