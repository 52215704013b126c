package dev.tally.store.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.tally.core.pricing.BillingPeriod;
import dev.tally.core.pricing.Invoice;
import dev.tally.store.pricing.InvoiceRunner.Action;
import dev.tally.store.pricing.InvoiceRunner.Failure;
import dev.tally.store.pricing.InvoiceRunner.Outcome;
import dev.tally.store.pricing.InvoiceRunner.RunResult;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The outcomes of a run gathered, written through {@link InvoiceWriter} and read back from a real store. */
class RunOutcomesTest extends OnPricingBed {
  static final Instant NOW = Instant.parse("2024-04-20T00:00:00Z");
  static final Instant LATER = Instant.parse("2024-05-04T00:00:00Z");

  RunOutcomesTest() {
    super(NOW.toString(), null);
  }

  @Test
  void writtenInvoicesAreReadBackAndEveryOutcomeIsSortedBySubscriptionThenPeriod() {
    Finalisation.Decision kept = Finalisation.decide(invoice("sub-c", LocalDate.of(2024, 4, 1)), false,
        Optional.empty(), LATER, NOW);
    write(List.of(kept.pending()));
    StoredInvoice stored = bed.pricing.invoices().find(PricingBed.TENANT, "sub-c@2024-04-01").orElseThrow();
    Finalisation.Decision unchanged = Finalisation.decide(invoice("sub-c", LocalDate.of(2024, 4, 1)), false,
        Optional.of(stored), LATER, NOW);
    assertThat(unchanged.unchanged()).isTrue();

    RunOutcomes run = new RunOutcomes(List.of());
    run.period(Finalisation.decide(invoice("sub-b", LocalDate.of(2024, 4, 1)), false, Optional.empty(), NOW, NOW),
        Optional.empty());
    run.afterEnd(Finalisation.decide(invoice("sub-a", LocalDate.of(2024, 3, 1)), true, Optional.empty(), LATER,
        NOW));
    run.period(unchanged, Optional.of(stored));
    run.failed(new Failure("sub-d@2024-04-01", "sub-d", "c", "2024-04-01..2024-05-01", "no price"));
    assertThat(run.pending()).extracting(p -> p.invoice().id()).containsExactly("sub-b@2024-04-01",
        "sub-a@2024-03-01");
    write(run.pending());
    bed.store.write(c -> {
      run.readBack(c, PricingBed.TENANT, YearMonth.of(2024, 4));
      return null;
    });

    RunResult r = run.result(NOW);
    assertThat(r.asOf()).isEqualTo(NOW);
    assertThat(r.outcomes()).extracting(o -> o.invoice().id(), Outcome::action, o -> o.invoice().status())
        .containsExactly(
            tuple("sub-a@2024-03-01", Action.CREATED, StoredInvoice.Status.DRAFT), // another month: found by id
            tuple("sub-b@2024-04-01", Action.FINALIZED, StoredInvoice.Status.FINAL),
            tuple("sub-c@2024-04-01", Action.UNCHANGED, StoredInvoice.Status.DRAFT));
    assertThat(r.outcomes().get(1).invoice().number()).contains("INV-000001"); // as stored, numbered
    assertThat(r.failures()).extracting(Failure::invoice).containsExactly("sub-d@2024-04-01");
  }

  @Test
  void nothingWrittenNothingReadBack() {
    RunOutcomes run = new RunOutcomes(List.of());
    bed.store.write(c -> {
      run.readBack(c, PricingBed.TENANT, YearMonth.of(2024, 4));
      return null;
    });
    assertThat(run.pending()).isEmpty();
    assertThat(run.result(NOW).outcomes()).isEmpty();
  }

  private void write(List<InvoiceWriter.Pending> pending) {
    bed.store.transaction(c -> {
      InvoiceWriter.write(c, PricingBed.TENANT, pending, 0, NOW);
      return null;
    });
  }

  static Invoice invoice(String subscription, LocalDate start) {
    BillingPeriod p = new BillingPeriod(start, start.plusMonths(1), start, start.plusMonths(1), ZoneId.of("UTC"));
    return new Invoice(Invoice.id(subscription, p), "c", subscription, "p@1", "USD", p, List.of());
  }
}
