package dev.tally.cli;

import dev.tally.api.IngestResult;
import dev.tally.cli.common.DataOptions;
import dev.tally.core.demo.DemoCost;
import dev.tally.core.demo.DemoData;
import dev.tally.store.TallyStore;
import dev.tally.store.cost.ImportOutcome;
import dev.tally.store.demo.DemoLoader;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tally demo}: loads the demo tenant and says what to try. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Generate and load the demo tenant: a year (2024) of AI tokens, translation characters, hourly storage",
      "samples and API requests for a few dozen customers, with its meters, its pricing catalogue and a year of",
      "invoices; and, for 'tally report', the demo organisation's own cloud bill for the year (daily FOCUS cost data",
      "with known answers: docs/cost-analytics.md, \"The demo tenant's cost year\"). Loading it again stores nothing",
      "new."
    })
final class DemoCommand implements Callable<Integer> {
  @Mixin DataOptions data;

  @Option(names = "--tenant", paramLabel = "T", defaultValue = DemoLoader.DEMO_TENANT,
      description = "Tenant to load the demo into (default: ${DEFAULT-VALUE}).")
  String tenant;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--customers", defaultValue = "40", description = "Number of customers (default: ${DEFAULT-VALUE}).")
  int customers;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String t = TallyStore.checkTenant(tenant);
    IngestResult r;
    int invoices;
    ImportOutcome bill;
    long started = System.nanoTime();
    try (TallyStore s = data.open()) {
      DemoLoader loader = new DemoLoader(s);
      r = loader.load(t, new DemoData(seed, customers));
      invoices = loader.invoiceYear(t);
      bill = loader.costYear(t);
    }
    double secs = (System.nanoTime() - started) / 1e9;
    out.printf("Demo tenant '%s' in %s: %d events generated, %d stored, %d already there; %d invoices for %d; "
        + "cloud bill: %s (%.1f s).%n", t, data.dataDir(), r.read(), r.stored(), r.duplicates(), invoices,
        DemoData.YEAR, bill.alreadyImported() ? "already imported"
            : bill.rows() + " charges, " + bill.billedTotal().stripTrailingZeros().toPlainString() + " "
                + DemoCost.CURRENCY, secs);
    out.println();
    out.println("Meters: ai_tokens, ai_users, translation_chars, storage_gb (GB-hours), storage_gb_avg, "
        + "storage_gb_latest, api_requests");
    out.println();
    out.println("Try:");
    String d = data.given().map(p -> " --data " + p).orElse("");
    String tn = " --tenant " + t;
    out.println("  ./tally meters list" + tn + d);
    out.println("  ./tally query ai_tokens" + tn + d + " --from 2024-01-01 --to 2025-01-01 --window-size MONTH "
        + "--format table");
    out.println("  ./tally query ai_tokens" + tn + d + " --from 2024-04-01 --to 2024-05-01 --group-by model "
        + "--group-by direction --format table");
    out.println("  ./tally query translation_chars" + tn + d + " --from 2024-08-26 --to 2024-09-30 "
        + "--window-size DAY --window-time-zone Europe/Paris --format table");
    out.println("  ./tally query storage_gb_avg" + tn + d + " --from 2024-01-01 --to 2025-01-01 --window-size MONTH "
        + "--format table");
    out.println("  ./tally query api_requests" + tn + d + " --from 2024-03-01 --to 2024-04-01 --subject customer-07 "
        + "--group-by endpoint --format csv");
    out.println("  ./tally invoice list" + tn + d + " --period 2024-04");
    out.println("  ./tally invoice explain sub-c01@2024-04-01" + tn + d);
    out.println("  ./tally simulate" + tn + d + " --plan pro@2 --from 2024-01-01 --to 2024-07-01 --customers c01,c02");
    out.println("  ./tally invoice export" + tn + d + " --format focus --period 2024-04");
    out.println();
    out.println("Cost reports on the demo organisation's own cloud bill (the same for any --seed and --customers),");
    out.println("and the answers they show:");
    out.println("  ./tally report growth" + tn + d + " --by ServiceName --base " + DemoCost.GROWTH_BASE + " --compare "
        + DemoCost.GROWTH_COMPARE);
    out.println("      " + DemoCost.OBJECT_STORAGE + " +" + DemoCost.STORAGE_GROWTH_PERCENT + "%");
    out.println("  ./tally report totals" + tn + d + " --by ServiceCategory");
    out.println("      " + DemoCost.AI_CATEGORY + " (" + DemoCost.AI_MODELS + " and " + DemoCost.TRANSLATION + ") "
        + DemoCost.AI_SHARE_PERCENT + "% of usage");
    out.println("  ./tally report peaks" + tn + d + " --window week --top 3");
    out.println("      the week before the launch event, " + DemoCost.PEAK_WEEK + " (translation x"
        + DemoCost.LAUNCH_WEEK_FACTOR + ")");
    out.println("  ./tally report anomalies" + tn + d + " --from 2024-11-01");
    out.println("      " + DemoCost.ANOMALY_DAY + ": a runaway " + DemoCost.ANOMALY_SERVICE + " job on "
        + DemoCost.ANOMALY_RESOURCE + " (" + DemoCost.ANOMALY_SUB_ACCOUNT + ", " + DemoCost.ANOMALY_REGION + ")");
    out.println("  ./tally report totals" + tn + d + " --by ChargeCategory --charges all");
    out.println("      consulting and support (Purchase) and a credit, apart from usage");
    return 0;
  }
}
