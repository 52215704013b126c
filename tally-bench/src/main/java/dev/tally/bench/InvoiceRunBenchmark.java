package dev.tally.bench;

import dev.tally.api.UsageQuery;
import dev.tally.core.demo.DemoData;
import dev.tally.core.pricing.Catalog;
import dev.tally.core.pricing.Charge;
import dev.tally.core.pricing.PlanVersion;
import dev.tally.store.TallyStore;
import dev.tally.store.demo.DemoLoader;
import dev.tally.store.pricing.PricingStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A month-end invoice run on the demo tenant against the raw usage aggregation it needs, side by side: the same usage
 * queries the run makes (one per charge of each plan version in use, all subjects), then the run itself. The clock is
 * inside April's grace period, so every repetition recomputes every invoice as a draft. Best of five each.
 *
 * <p>Usage: {@code InvoiceRunBenchmark [--customers N]}.
 */
public final class InvoiceRunBenchmark {
  private InvoiceRunBenchmark() {}

  public static void main(String[] args) throws Exception {
    int customers = args.length == 2 && args[0].equals("--customers") ? Integer.parseInt(args[1]) : 40;
    Path dir = Files.createTempDirectory("tally-invoice-bench");
    Clock clock = Clock.fixed(Instant.parse("2024-05-02T00:00:00Z"), ZoneOffset.UTC);
    try (TallyStore store = TallyStore.open(dir, clock)) {
      new DemoLoader(store).load("demo", new DemoData(42, customers));
      PricingStore pricing = PricingStore.open(store);
      pricing.catalog().apply("demo", PricingStore.demoCatalog(), "demo-catalog.yaml");
      Catalog cat = pricing.catalog().load("demo");
      List<String> subjects = new ArrayList<>();
      cat.customers().forEach(c -> subjects.addAll(c.subjects()));
      Instant from = Instant.parse("2024-04-01T00:00:00Z");
      Instant to = Instant.parse("2024-05-01T00:00:00Z");
      long rawBest = Long.MAX_VALUE;
      long runBest = Long.MAX_VALUE;
      int queries = 0;
      int invoices = 0;
      for (int r = 0; r < 6; r++) {
        long t0 = System.nanoTime();
        queries = 0;
        for (PlanVersion pv : cat.plans()) {
          if (cat.subscriptions().stream().noneMatch(s -> s.planRef().equals(pv.ref()))) {
            continue;
          }
          for (Charge c : pv.charges()) {
            store.queries().query("demo", new UsageQuery(c.meter(), from, to, Optional.empty(), ZoneId.of("UTC"),
                subjects, c.pricing().keys(), c.filter()));
            queries++;
          }
        }
        long raw = System.nanoTime() - t0;
        long t1 = System.nanoTime();
        invoices = pricing.runner().run("demo", YearMonth.of(2024, 4), Set.of()).size();
        long run = System.nanoTime() - t1;
        if (r > 0) {
          rawBest = Math.min(rawBest, raw);
          runBest = Math.min(runBest, run);
        }
      }
      System.out.printf(Locale.ROOT, "| invoice run, April 2024, demo tenant (%d customers, %d invoices) | %.0f ms | "
          + "raw usage aggregation it needs (%d queries): %.0f ms | %.2f |%n", customers, invoices, runBest / 1e6,
          queries, rawBest / 1e6, (double) runBest / rawBest);
      Runtime rt = Runtime.getRuntime();
      System.out.printf(Locale.ROOT, "heap in use after the runs: %d MiB%n", (rt.totalMemory() - rt.freeMemory()) >> 20);
    }
  }
}
