package dev.tally.cli.server;

import dev.tally.api.IngestResult;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.cli.common.DataOptions;
import dev.tally.cli.cost.AnomalyFlags;
import dev.tally.console.ConsoleRoutes;
import dev.tally.core.cost.AnomalySettings;
import dev.tally.core.demo.DemoData;
import dev.tally.core.time.Timestamps;
import dev.tally.server.ProductRoutes;
import dev.tally.server.ServerOptions;
import dev.tally.server.TallyServer;
import dev.tally.server.auth.KeyKind;
import dev.tally.server.cost.AlertSchedule;
import dev.tally.server.pricing.InvoiceSchedule;
import dev.tally.server.spi.ApiRoutes;
import dev.tally.store.TallyStore;
import dev.tally.store.demo.DemoLoader;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tally serve}: the HTTP API on the embedded store, until SIGTERM or Ctrl-C, which shut it down gracefully
 * (stop accepting, finish requests in flight, commit, close the store).
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the HTTP API (OpenMeter-compatible ingestion and queries) and the web console (at /) on the embedded "
          + "store.",
      "While it runs, 'tally tenant' and 'tally key' work through it; other commands that open the store wait for it "
          + "to stop. With --demo, loads the demo tenant if it is not there and prints a key and curl lines to try."
    })
public final class ServeCommand implements Callable<Integer> {
  @Mixin DataOptions data;

  @Option(names = "--port", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0 picks one).")
  int port;

  @Option(names = "--bind", defaultValue = ServerOptions.DEFAULT_HOST,
      description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for all).")
  String bind;

  @Option(names = "--demo", description = "Load the demo tenant if absent; print an API key for it and curl lines.")
  boolean demo;

  @Option(names = "--ack-from-log", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Acknowledge events once they are in Tally's own durable log (DATA/wal, with the dedupe index in "
          + "DATA/dedupe) and load the store in the background (the default); --no-ack-from-log acknowledges from a "
          + "store transaction per group of requests instead, the earlier, slower path.")
  boolean ackFromLog;

  @Option(names = "--invoice-every", paramLabel = "DURATION", defaultValue = "PT1H",
      description = "Run invoices (this month and last, every tenant with subscriptions) this often, as an ISO-8601 "
          + "duration such as PT1H or PT15M; PT0S turns the schedule off (default: ${DEFAULT-VALUE}).")
  Duration invoiceEvery;

  @Option(names = "--alerts-every", paramLabel = "DURATION", defaultValue = "PT1H",
      description = "Check budgets and anomalies of every tenant with cost data, and send new alerts to its webhook, "
          + "at start and then this often (ISO-8601, e.g. PT15M); PT0S turns it off (default: ${DEFAULT-VALUE}).")
  Duration alertsEvery;

  @Option(names = "--alerts-zone", paramLabel = "ZONE", defaultValue = "UTC",
      description = "Zone of the days and months the scheduled checks count in (default: ${DEFAULT-VALUE}).")
  String alertsZone;

  @Option(names = "--alerts-min-impact", paramLabel = "MONEY", defaultValue = "0",
      description = "Smallest anomaly impact, in money, that alerts (default: ${DEFAULT-VALUE}).")
  BigDecimal alertsMinImpact;

  @Option(names = "--alerts-min-percent", paramLabel = "P", defaultValue = "10",
      description = "Smallest anomaly impact, in percent of the expected amount, that alerts (default: "
          + "${DEFAULT-VALUE}).")
  BigDecimal alertsMinPercent;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // Checked before anything starts: a bad flag must not leave a server running behind the error.
    if (invoiceEvery.isNegative()) {
      throw TallyException.invalid(Problem.of("--invoice-every",
          "must be a positive ISO-8601 duration such as PT1H, or PT0S for no schedule", invoiceEvery.toString()));
    }
    if (alertsEvery.isNegative()) {
      throw TallyException.invalid(Problem.of("--alerts-every",
          "must be a positive ISO-8601 duration such as PT1H, or PT0S for no checks", alertsEvery.toString()));
    }
    ZoneId zone;
    try {
      zone = Timestamps.zone(alertsZone);
    } catch (IllegalArgumentException e) {
      throw TallyException.invalid(Problem.of("--alerts-zone", e.getMessage(), alertsZone));
    }
    AnomalySettings alertSettings = AnomalyFlags.settings(alertsMinImpact, alertsMinPercent,
        "--alerts-min-impact/--alerts-min-percent");
    quietLibraries();
    TallyStore store = TallyStore.open(data.dataDir(), Clock.systemUTC());
    TallyServer server = null;
    InvoiceSchedule schedule;
    AlertSchedule alerts;
    Optional<String> demoKey = Optional.empty();
    try {
      // The console's static files beside the API: not API routes, so not in ProductRoutes or the API document.
      List<ApiRoutes> routes = new ArrayList<>(ProductRoutes.all(store));
      routes.add(new ConsoleRoutes());
      server = TallyServer.start(store, ServerOptions.defaults().withHost(bind).withPort(port)
          .withExtraRoutes(routes).withLogFirst(ackFromLog));
      // The address comes first, as soon as it is known (with --port 0 only now); the demo loads after it, and no one
      // can sign in to the demo tenant before its key is made below, so nobody sees it half loaded.
      out.println("Tally console: " + server.uri() + "/" + (demo ? "  (sign in with the API key below)" : ""));
      out.flush();
      if (demo && !store.tenantExists(DemoLoader.DEMO_TENANT)) {
        err.println("Loading the demo tenant '" + DemoLoader.DEMO_TENANT
            + "' (a year of usage, invoices and cloud cost; once only)...");
        err.flush();
        long started = System.nanoTime();
        DemoLoader loader = new DemoLoader(store);
        IngestResult r = loader.load(DemoLoader.DEMO_TENANT, new DemoData(42, 40));
        int invoices = loader.invoiceYear(DemoLoader.DEMO_TENANT);
        long charges = loader.costYear(DemoLoader.DEMO_TENANT).rows();
        err.printf("Loaded %d events, %d invoices and a cloud bill of %d charges in %.1f s.%n", r.stored(), invoices,
            charges, (System.nanoTime() - started) / 1e9);
        err.flush();
      }
      if (demo) {
        demoKey = Optional.of(server.keys().create(DemoLoader.DEMO_TENANT, KeyKind.FULL).secret());
      }
      schedule = invoiceEvery.isZero() ? null : InvoiceSchedule.start(store, invoiceEvery, Clock.systemUTC());
      alerts = alertsEvery.isZero() ? null
          : AlertSchedule.start(store, alertsEvery, Clock.systemUTC(), zone, alertSettings);
    } catch (RuntimeException e) {
      if (server != null) {
        server.close();
      }
      store.close();
      throw e;
    }
    TallyServer running = server;
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> stop(running, List.of(Optional.ofNullable(schedule), Optional.ofNullable(alerts)),
        store, stopped), "tally-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println("Tally is serving " + running.uri() + " (data: " + data.dataDir() + "). Stop with Ctrl-C.");
    demoKey.ifPresent(key -> printDemo(out, running.uri().toString(), key));
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      // Stopped in-process (tests, embedding) rather than by a signal.
      Runtime.getRuntime().removeShutdownHook(hook);
      stop(running, List.of(Optional.ofNullable(schedule), Optional.ofNullable(alerts)), store, stopped);
    }
    return 0;
  }

  /**
   * Jetty and Javalin announce every start and stop step at INFO; a user needs Tally's own lines and the access log.
   * Set before the first logger is made (slf4j-simple reads these once); an explicit -D setting wins.
   */
  private static void quietLibraries() {
    // TallyServer's own start-up line too: the command says the same in its own words, the console's address first.
    for (String name : new String[] {"org.eclipse.jetty", "io.javalin", "dev.tally.server.TallyServer"}) {
      String key = "org.slf4j.simpleLogger.log." + name;
      if (System.getProperty(key) == null) {
        System.setProperty(key, "warn");
      }
    }
  }

  private static void stop(TallyServer server, List<Optional<? extends AutoCloseable>> schedules, TallyStore store,
      CountDownLatch stopped) {
    try {
      server.close();
      for (Optional<? extends AutoCloseable> s : schedules) {
        if (s.isPresent()) {
          try {
            s.get().close();
          } catch (Exception e) {
            // Closing a schedule only waits for its current run; the store is closed below either way.
          }
        }
      }
    } finally {
      store.close();
      stopped.countDown();
    }
  }

  private static void printDemo(PrintWriter out, String url, String key) {
    String auth = "-H \"Authorization: Bearer $TALLY_KEY\"";
    out.println();
    out.println("API key for the demo tenant (shown once; 'tally key list' shows its prefix):");
    out.println("  export TALLY_KEY=" + key);
    out.println();
    out.println("Try:");
    out.println("  curl -s " + auth + " " + url + "/api/v1/meters");
    out.println("  curl -s " + auth + " '" + url + "/api/v1/meters/ai_tokens/query?from=2024-01-01&to=2025-01-01"
        + "&windowSize=MONTH'");
    out.println("  curl -s " + auth + " -H 'Accept: text/csv' '" + url + "/api/v1/meters/api_requests/query"
        + "?from=2024-03-01&to=2024-04-01&subject=customer-07&groupBy=endpoint'");
    out.println("  curl -s -i " + auth + " -H 'Content-Type: application/cloudevents+json' " + url + "/api/v1/events"
        + " -d '{\"specversion\":\"1.0\",\"id\":\"try-1\",\"source\":\"curl\",\"type\":\"api.request\","
        + "\"subject\":\"customer-07\",\"data\":{\"endpoint\":\"/v1/chat\"}}'");
    out.println("  curl -s " + auth + " '" + url + "/api/v1/events?subject=customer-07&limit=3'");
    out.println("  curl -s " + auth + " '" + url + "/api/v1/reports/growth?by=ServiceName&base=2024-01&compare=2024-10"
        + "&format=csv'");
  }
}
