package dev.tally.store.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.demo.DemoData;
import dev.tally.store.TallyStore;
import dev.tally.store.TestingClock;
import dev.tally.store.cost.ImportOutcome;
import dev.tally.store.pricing.PricingStore;
import dev.tally.store.pricing.StoredInvoice;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo tenant end to end: usage, a year of invoices, and those invoices as cost data; all of it idempotent. */
class DemoLoaderTest {
  @TempDir Path dir;

  @Test
  void loadsUsageInvoicesAndCostDataOnceOnly() {
    try (TallyStore store = TallyStore.open(dir, new TestingClock(Instant.parse("2025-03-01T00:00:00Z")))) {
      DemoLoader loader = new DemoLoader(store);
      DemoData demo = new DemoData(42, 3);
      long events = loader.load("demo", demo).stored();
      assertThat(events).isPositive();
      int invoices = loader.invoiceYear("demo");
      List<StoredInvoice> all = PricingStore.open(store).invoices().list("demo", Optional.empty(), Optional.empty());
      assertThat(all).hasSize(invoices).allMatch(i -> i.status() == StoredInvoice.Status.FINAL);
      ImportOutcome cost = loader.invoicesAsCostData("demo");
      // Every invoice line is a FOCUS row whose BilledCost is the line's amount: the rows add up to the invoices.
      BigDecimal invoiced = all.stream().map(StoredInvoice::total).reduce(BigDecimal.ZERO, BigDecimal::add);
      assertThat(cost.billedTotal()).isEqualByComparingTo(invoiced);
      assertThat(cost.alreadyImported()).isFalse();
      // Loading again adds nothing anywhere.
      assertThat(loader.load("demo", demo).stored()).isZero();
      assertThat(loader.invoiceYear("demo")).isEqualTo(invoices);
      assertThat(loader.invoicesAsCostData("demo").alreadyImported()).isTrue();
    }
  }
}
