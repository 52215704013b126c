package dev.tally.server.pricing;

import static java.util.Objects.requireNonNull;

import dev.tally.server.spi.Schedule;
import dev.tally.store.TallyStore;
import dev.tally.store.pricing.InvoiceRunner;
import dev.tally.store.pricing.PricingStore;
import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Invoice runs on a schedule inside {@code tally serve}: every interval, for every tenant with subscriptions, the
 * current and the previous month are run. Runs are idempotent, so a tick updates drafts with late usage, finalises
 * invoices whose grace period has passed, and otherwise changes nothing. A failing invoice is logged with its reason
 * and the others are written; a failing tenant is logged and retried on the
 * next tick; it never stops the schedule or the others.
 */
public final class InvoiceSchedule implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InvoiceSchedule.class);

  private final TallyStore store;
  private final PricingStore pricing;
  private final Clock clock;
  // Set once by start(), before the object is handed out.
  private Schedule schedule;

  private InvoiceSchedule(TallyStore store, Clock clock) {
    this.store = store;
    this.pricing = PricingStore.open(store);
    this.clock = clock;
  }

  /** Starts running invoices every {@code interval}, the first time after one interval. */
  public static InvoiceSchedule start(TallyStore store, Duration interval, Clock clock) {
    requireNonNull(interval, "interval is null");
    InvoiceSchedule s = new InvoiceSchedule(store, clock);
    s.schedule = Schedule.start("invoice", interval, interval, s::tick);
    return s;
  }

  /** How many ticks have completed. */
  public long ticks() {
    return schedule.ticks();
  }

  private void tick() {
    YearMonth now = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
    for (String tenant : store.tenants()) {
      try {
        if (pricing.catalog().load(tenant).subscriptions().isEmpty()) {
          continue;
        }
        for (YearMonth month : new YearMonth[] {now.minusMonths(1), now}) {
          InvoiceRunner.RunResult r = pricing.runner().run(tenant, month, Set.of(), Optional.empty());
          for (InvoiceRunner.Failure f : r.failures()) {
            LOG.warn("scheduled invoice run for tenant {}: invoice {} failed; retried next time: {}", tenant,
                f.invoice(), f.reason());
          }
        }
      } catch (RuntimeException e) {
        LOG.warn("scheduled invoice run for tenant {} failed; retried next time: {}", tenant, e.getMessage());
      }
    }
  }

  /** Stops the schedule, letting a run in progress finish. */
  @Override
  public void close() {
    schedule.close();
  }
}
