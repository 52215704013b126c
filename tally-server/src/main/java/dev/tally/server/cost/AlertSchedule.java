package dev.tally.server.cost;

import static java.util.Objects.requireNonNull;

import dev.tally.core.cost.AnomalySettings;
import dev.tally.server.spi.Schedule;
import dev.tally.store.TallyStore;
import dev.tally.store.cost.CostAlerts;
import dev.tally.store.cost.CostStore;
import dev.tally.store.cost.WebhookSender;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Budget and anomaly alerts on a schedule inside {@code tally serve}, where {@code tally alerts check} from cron cannot
 * run (the server holds the store). Every interval, for every tenant with cost data, budgets or a webhook: the
 * budgets' standing and the total's anomalies of the last days are checked as of today, new alerts are stored (each
 * key once, so repeated ticks add nothing) and pending ones are sent to the tenant's webhook, signed and retried. A
 * failing tenant or an unreachable webhook is logged and tried again on the next tick; it never stops the schedule or
 * the other tenants.
 */
public final class AlertSchedule implements AutoCloseable {
  /** Days before today whose anomalies a tick looks at. */
  public static final int ANOMALY_DAYS = 7;
  /** Webhook attempts per alert and tick, and the first wait between them (doubled after each). */
  static final int ATTEMPTS = 4;
  static final Duration BACKOFF = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(AlertSchedule.class);

  private final CostAlerts alerts;
  private final Clock clock;
  private final ZoneId zone;
  private final AnomalySettings settings;
  private final WebhookSender sender;
  private final AtomicLong produced = new AtomicLong();
  // Set once by start(), before the object is handed out.
  private Schedule schedule;

  private AlertSchedule(TallyStore store, Clock clock, ZoneId zone, AnomalySettings settings, WebhookSender sender) {
    this.alerts = CostStore.on(store).alerts();
    this.clock = clock;
    this.zone = zone;
    this.settings = settings;
    this.sender = sender;
  }

  /**
   * Starts checking every {@code interval}, the first time right away (a server that just started should not wait
   * an hour to say a budget is spent).
   *
   * @param zone the zone whose days and months budgets and anomalies are counted in
   * @param settings the anomaly thresholds (as {@code tally alerts check --min-impact --min-percent})
   */
  public static AlertSchedule start(TallyStore store, Duration interval, Clock clock, ZoneId zone,
      AnomalySettings settings) {
    return start(store, interval, clock, zone, settings, new WebhookSender(clock, ATTEMPTS, BACKOFF));
  }

  static AlertSchedule start(TallyStore store, Duration interval, Clock clock, ZoneId zone, AnomalySettings settings,
      WebhookSender sender) {
    requireNonNull(store, "store is null");
    requireNonNull(interval, "interval is null");
    AlertSchedule s = new AlertSchedule(store, requireNonNull(clock, "clock is null"), requireNonNull(zone, "zone is null"),
        requireNonNull(settings, "settings is null"), requireNonNull(sender, "sender is null"));
    s.schedule = Schedule.start("alert", Duration.ZERO, interval, s::tick);
    return s;
  }

  /** How many ticks have completed. */
  public long ticks() {
    return schedule.ticks();
  }

  /** How many alerts the schedule has produced since it started. */
  public long produced() {
    return produced.get();
  }

  private void tick() {
    LocalDate today = LocalDate.now(clock.withZone(zone));
    for (String tenant : alerts.watchedTenants()) {
      try {
        List<CostAlerts.Alert> fresh = alerts.check(tenant, today, zone, settings, ANOMALY_DAYS);
        produced.addAndGet(fresh.size());
        fresh.forEach(a -> LOG.info("alert #{} for tenant {}: {}", a.id(), tenant, a.message()));
        CostAlerts.Delivery d = alerts.deliver(tenant, sender);
        if (d.failed() > 0) {
          LOG.warn("{} alert(s) of tenant {} could not be delivered to {}; retried next time", d.failed(), tenant,
              d.url().orElse("?"));
        }
      } catch (RuntimeException e) {
        LOG.warn("scheduled alert check for tenant {} failed; retried next time: {}", tenant, e.getMessage());
      }
    }
  }

  /** Stops the schedule, letting a check in progress finish. */
  @Override
  public void close() {
    schedule.close();
  }
}
