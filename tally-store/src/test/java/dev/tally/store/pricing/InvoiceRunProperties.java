package dev.tally.store.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.api.Aggregation;
import dev.tally.api.Event;
import dev.tally.api.Meter;
import dev.tally.store.TallyStore;
import dev.tally.store.TestingClock;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Invariants of invoice runs over random usage, on a real store: running a month again changes nothing; every stored
 * invoice's total is the sum of its lines; simulating each subscription's own plan reproduces its invoices.
 */
class InvoiceRunProperties {
  @Property(tries = 6)
  void rerunsAreIdempotentAndSimulationReproducesInvoices(@ForAll long seed,
      @ForAll @IntRange(min = 0, max = 400) int events, @ForAll @IntRange(min = 0, max = 40) int clockDay)
      throws IOException {
    Path dir = Files.createTempDirectory("tally-pricing-prop");
    // Days after April 1: the clock lands before, inside or after May's grace period, so drafts and finals mix.
    TestingClock clock = new TestingClock(Instant.parse("2024-05-01T00:00:00Z").plusSeconds(clockDay * 86_400L));
    try (TallyStore store = TallyStore.open(dir, clock)) {
      store.meters().apply("t", List.of(
          new Meter("ai_tokens", "", "ai.tokens", Aggregation.SUM, Optional.of("$.tokens"),
              new LinkedHashMap<>(Map.of("model", "$.model")), Optional.empty()),
          new Meter("api_requests", "", "api.request", Aggregation.COUNT, Optional.empty(), new LinkedHashMap<>(),
              Optional.empty())), false);
      PricingStore pricing = PricingStore.open(store);
      pricing.catalog().apply("t", InvoiceRunTest.CATALOG, "catalog.yaml");
      // A second file adds to the first: an anniversary-anchored customer with tax, and a charge discount.
      pricing.catalog().apply("t", """
          customers:
            - {id: weekly, name: Weekly, currency: USD, taxRate: 7.5, subjects: [s5]}
          subscriptions:
            - {id: sub-weekly, customer: weekly, plan: ai, version: 1, start: 2024-03-20, anchor: anniversary}
          discounts:
            - {id: d1, customer: beta, type: percent, value: 12.5, charge: tokens, from: 2024-01-01}
          """, "more.yaml");
      SplittableRandom rnd = new SplittableRandom(seed);
      List<Event> list = new ArrayList<>();
      for (int i = 0; i < events; i++) {
        String subject = "s" + (1 + rnd.nextInt(5));
        Instant t = Instant.parse("2024-04-01T00:00:00Z").plusSeconds(rnd.nextLong(61L * 86_400));
        list.add(rnd.nextBoolean()
            ? Event.of("e" + i, "p", "ai.tokens", subject, t, "{\"model\":\"" + (rnd.nextBoolean() ? "small" : "large")
                + "\",\"tokens\":" + rnd.nextInt(1, 3_000_000) + "}")
            : Event.of("e" + i, "p", "api.request", subject, t, "{}"));
      }
      store.ingestor().ingest("t", list, clock.instant());
      for (YearMonth m : List.of(YearMonth.of(2024, 4), YearMonth.of(2024, 5))) {
        List<InvoiceRunner.Outcome> first = pricing.runner().run("t", m, Set.of());
        List<InvoiceRunner.Outcome> again = pricing.runner().run("t", m, Set.of());
        assertThat(again).extracting(InvoiceRunner.Outcome::action)
            .allMatch(a -> a == InvoiceRunner.Action.UNCHANGED || a == InvoiceRunner.Action.ALREADY_FINAL);
        assertThat(again).extracting(o -> o.invoice().doc())
            .isEqualTo(first.stream().map(o -> o.invoice().doc()).toList());
      }
      List<StoredInvoice> all = pricing.invoices().list("t", Optional.empty(), Optional.empty());
      for (StoredInvoice inv : all) {
        BigDecimal sum = BigDecimal.ZERO;
        for (var l : inv.doc().path("lines")) {
          sum = sum.add(l.path("amount").decimalValue());
        }
        assertThat(inv.total()).as(inv.id()).isEqualByComparingTo(sum);
      }
      Simulator.Result sim = pricing.simulator().simulate("t", "ai@1", LocalDate.parse("2024-04-01"),
          LocalDate.parse("2024-06-01"), Set.of());
      assertThat(sim.customers()).allSatisfy(c -> assertThat(c.difference()).as(c.customer()).isZero());
      assertThat(pricing.invoices().list("t", Optional.empty(), Optional.empty())).isEqualTo(all);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
