package dev.tally.cli.cost;

import dev.tally.cli.common.StoreOptions;
import dev.tally.core.cost.AnomalySettings;
import dev.tally.core.format.UsageFormats;
import dev.tally.options.FormatOption;
import dev.tally.store.TallyStore;
import dev.tally.store.cost.CostAlerts;
import dev.tally.store.cost.CostStore;
import dev.tally.store.cost.WebhookSender;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tally alerts}: lists alerts; {@code check} produces them from budgets and anomalies and delivers them,
 * {@code deliver} retries pending ones, {@code webhook} sets where they go.
 */
@Command(
    name = "alerts",
    mixinStandardHelpOptions = true,
    description = "List alerts (budget thresholds crossed, anomalies), newest first, with their delivery state.",
    subcommands = {AlertsCommand.Check.class, AlertsCommand.Deliver.class, AlertsCommand.Webhook.class})
public final class AlertsCommand implements Callable<Integer> {
  /** Attempts per alert and delivery run. */
  static final int ATTEMPTS = 4;
  /** The wait before the second attempt; doubled after each. */
  static final Duration BACKOFF = Duration.ofSeconds(1);

  @Mixin StoreOptions store;

  @Mixin FormatOption.Table format;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    UsageFormats.Format f = format.format().usage();
    String tenant = store.tenant();
    try (TallyStore s = store.open()) {
      spec.commandLine().getOut().print(CostStore.on(s).alerts().list(tenant).render(f));
    }
    return 0;
  }

  static void printDelivery(CostAlerts.Delivery d, PrintWriter out) {
    if (d.url().isEmpty()) {
      out.println(d.pending() + " alert(s) pending: no webhook set (tally alerts webhook --url URL --secret S)");
    } else {
      out.println("delivered " + d.delivered() + " of " + d.pending() + " pending alert(s) to " + d.url().get()
          + (d.failed() > 0 ? "; " + d.failed() + " failed and stay pending" : ""));
    }
  }

  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Check budgets and recent anomalies; store new alerts (each once) and deliver pending ones.")
  static final class Check implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Mixin AsOfOptions day;

    @Option(names = "--anomaly-days", paramLabel = "N", defaultValue = "7",
        description = "Days before --as-of searched for anomalies (default: ${DEFAULT-VALUE}).")
    int anomalyDays;

    @Option(names = "--min-impact", paramLabel = "MONEY", defaultValue = "0",
        description = "Anomaly threshold in money (default: ${DEFAULT-VALUE}).")
    BigDecimal minImpact;

    @Option(names = "--min-percent", paramLabel = "P", defaultValue = "10",
        description = "Anomaly threshold in percent of expected (default: ${DEFAULT-VALUE}).")
    BigDecimal minPercent;

    @Option(names = "--no-deliver", description = "Only produce alerts; do not send them.")
    boolean noDeliver;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      AnomalySettings settings = AnomalyFlags.settings(minImpact, minPercent, "--min-impact/--min-percent");
      ZoneId z = day.zone();
      String tenant = store.tenant();
      PrintWriter out = spec.commandLine().getOut();
      try (TallyStore s = store.open()) {
        CostStore cost = CostStore.on(s);
        List<CostAlerts.Alert> produced = cost.alerts().check(tenant, day.day(s, z), z, settings, anomalyDays);
        out.println(produced.size() + " new alert(s)");
        produced.forEach(a -> out.println("  #" + a.id() + " " + a.message()));
        if (!noDeliver) {
          printDelivery(cost.alerts().deliver(tenant, new WebhookSender(s.clock(), ATTEMPTS, BACKOFF)), out);
        }
      }
      return 0;
    }
  }

  @Command(name = "deliver", mixinStandardHelpOptions = true, description = "Send pending alerts to the webhook.")
  static final class Deliver implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      String tenant = store.tenant();
      try (TallyStore s = store.open()) {
        printDelivery(CostStore.on(s).alerts().deliver(tenant, new WebhookSender(s.clock(), ATTEMPTS, BACKOFF)),
            spec.commandLine().getOut());
      }
      return 0;
    }
  }

  @Command(name = "webhook", mixinStandardHelpOptions = true,
      description = {"Set where alerts are POSTed, and the secret that signs them (HMAC-SHA256).",
          "Headers: X-Tally-Timestamp, X-Tally-Signature: sha256=HEX(HMAC(secret, timestamp + \".\" + body)),"
              + " X-Tally-Alert-Id."})
  static final class Webhook implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Option(names = "--url", required = true, paramLabel = "URL", description = "http(s) URL.")
    String url;

    @Option(names = "--secret", required = true, paramLabel = "S", description = "At least 16 characters.")
    String secret;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      String tenant = store.tenant();
      try (TallyStore s = store.open()) {
        CostStore.on(s).alerts().webhook(tenant, url, secret);
      }
      spec.commandLine().getOut().println("alerts for " + tenant + " go to " + url);
      return 0;
    }
  }
}
