package dev.tally.store.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.pricing.Adjustment;
import dev.tally.core.pricing.BillingPeriod;
import dev.tally.core.pricing.Catalog;
import dev.tally.core.pricing.Invoice;
import dev.tally.core.pricing.Subscription;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The late-usage adjustments of one invoice, read from a real store without running invoices around them. */
class LateUsageTest extends OnPricingBed {
  /** The catalogue of {@link LateUsageAfterEndTest}, its subscription running on. */
  static final String CATALOG = LateUsageAfterEndTest.CATALOG.replace(", end: 2024-03-01", "");
  static final BillingPeriod MARCH = month(3);

  LateUsageTest() {
    super("2024-04-10T00:00:00Z", CATALOG);
  }

  @BeforeEach
  void ingest() {
    bed.requests("g1", 20, "2024-02-10T00:00:00Z");
    bed.pricing.runner().run(PricingBed.TENANT, YearMonth.of(2024, 2), Set.of()); // final: past its grace period
  }

  @Test
  void noLateEventsNoAdjustment() {
    assertThat(adjustments(MARCH, false)).isEmpty();
  }

  @Test
  void lateEventsAreTheDifferenceOnTheFirstInvoiceAfter() {
    bed.requests("g1", 8, "2024-02-20T00:00:00Z");
    List<Adjustment> a = adjustments(MARCH, false);
    assertThat(a).hasSize(1);
    assertThat(a.get(0).invoice()).isEqualTo("sub-gone@2024-02-01");
    assertThat(a.get(0).invoiceNumber()).isEqualTo("INV-000001");
    assertThat(a.get(0).charge()).isEqualTo("req");
    assertThat(a.get(0).quantityDelta()).isEqualByComparingTo("8");
    assertThat(a.get(0).amountDelta()).isEqualByComparingTo("4");
    assertThat(a.get(0).arithmetic()).isEqualTo("rated again with all events: 28 → 14.00; billed so far 20 → 10; "
        + "difference 4.000000000");
  }

  @Test
  void aDraftInBetweenCarriesItInstead() {
    bed.requests("g1", 8, "2024-02-20T00:00:00Z");
    assertThat(adjustments(month(4), true)).isEmpty();
  }

  /** The adjustments of the period's invoice; with {@code marchDraft}, the run has a March draft already. */
  private List<Adjustment> adjustments(BillingPeriod p, boolean marchDraft) {
    Catalog cat = bed.pricing.catalog().load(PricingBed.TENANT);
    Subscription s = cat.subscription("sub-gone").orElseThrow();
    return bed.store.write(c -> {
      InvoiceHistory history = InvoiceHistory.load(c, PricingBed.TENANT);
      if (marchDraft) {
        history.record(new Invoice("sub-gone@2024-03-01", "gone", "sub-gone", "api@1", "USD", MARCH, List.of()), false);
      }
      return new LateUsage(c, PricingBed.TENANT, cat, history, new UsageMeasurer(bed.store))
          .of(cat.customer("gone").orElseThrow(), s, p);
    });
  }

  static BillingPeriod month(int m) {
    LocalDate start = LocalDate.of(2024, m, 1);
    return new BillingPeriod(start, start.plusMonths(1), start, start.plusMonths(1), ZoneId.of("UTC"));
  }
}
