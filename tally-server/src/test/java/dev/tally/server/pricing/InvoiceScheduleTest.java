package dev.tally.server.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tally.core.demo.DemoData;
import dev.tally.store.TallyStore;
import dev.tally.store.demo.DemoLoader;
import dev.tally.store.pricing.PricingStore;
import dev.tally.store.pricing.StoredInvoice;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schedule inside tally serve runs the current and previous month for tenants with subscriptions. */
class InvoiceScheduleTest {
  @TempDir Path dir;

  @Test
  void runsInvoicesOnItsOwn() throws Exception {
    // Mid-May 2024: April is past its grace period (final), May is still open (draft).
    Clock clock = Clock.fixed(Instant.parse("2024-05-15T00:00:00Z"), ZoneOffset.UTC);
    try (TallyStore store = TallyStore.open(dir, clock)) {
      new DemoLoader(store).load("demo", new DemoData(42, 2));
      PricingStore pricing = PricingStore.open(store);
      pricing.catalog().apply("demo", PricingStore.demoCatalog(), "demo-catalog.yaml");
      store.ensureTenant("no-catalogue");
      try (InvoiceSchedule schedule = InvoiceSchedule.start(store, Duration.ofMillis(50), clock)) {
        await().atMost(Duration.ofSeconds(60)).until(() -> schedule.ticks() >= 2);
      }
      List<StoredInvoice> c01 = pricing.invoices().list("demo", Optional.empty(), Optional.of("c01"));
      assertThat(c01).extracting(i -> i.activeStart().toString() + " " + i.status())
          .containsExactlyInAnyOrder("2024-04-01 FINAL", "2024-05-01 DRAFT");
    }
  }
}
