package dev.tally.store.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.api.TallyException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each subscription's invoice succeeds or fails alone: a subscription whose usage has no price stops only its own
 * invoice, the run writes the others and reports the failure with its reason, and a later run (after the catalogue
 * is fixed) invoices it.
 */
class InvoiceRunIsolationTest extends OnPricingBed {
  static final YearMonth APRIL = YearMonth.of(2024, 4);
  /** Plan ai, version 1 with no price for other models than small, version 2 with a fallback for them. */
  static final String CATALOG = """
      customers:
        - {id: good, currency: USD, subjects: [g1]}
        - {id: bad, currency: USD, subjects: [b1]}
        - {id: also-good, currency: USD, subjects: [a1]}
      plans:
      """ + tokensPlan(1, "") + tokensPlan(2, "fallback: {model: per_unit, unitPrice: 0.002}") + """
      subscriptions:
        - {id: sub-good, customer: good, plan: ai, version: 1, start: 2024-01-01}
        - {id: sub-bad, customer: bad, plan: ai, version: 1, start: 2024-01-01}
        - {id: sub-also, customer: also-good, plan: ai, version: 1, start: 2024-01-01}
      """;

  /** Plan ai at a version: tokens priced by model, small at 0.001, then {@code more} in the price. */
  private static String tokensPlan(int version, String more) {
    return """
          - id: ai
            version: %d
            currency: USD
            charges:
              - id: tokens
                meter: tokens
                unit: tokens
                price:
                  model: dimensional
                  keys: [model]
                  prices:
                    - {match: {model: small}, price: {model: per_unit, unitPrice: 0.001}}
        """.formatted(version) + (more.isEmpty() ? "" : "          " + more + "\n");
  }

  InvoiceRunIsolationTest() {
    super("2024-05-10T00:00:00Z", CATALOG);
  }

  @BeforeEach
  void ingest() {
    bed.tokens("g1", "small", 2, 1000, "2024-04-05T10:00:00Z");
    bed.tokens("a1", "small", 1, 3000, "2024-04-06T10:00:00Z");
    bed.tokens("b1", "small", 1, 1000, "2024-04-05T10:00:00Z");
    bed.tokens("b1", "medium", 1, 500, "2024-04-07T10:00:00Z"); // no price for medium in ai@1, no fallback
  }

  @Test
  void aSubscriptionWithoutAPriceFailsAloneAndTheOthersAreWritten() {
    InvoiceRunner.RunResult r = bed.pricing.runner().run(PricingBed.TENANT, APRIL, Set.of(), Optional.empty());
    assertThat(r.outcomes()).extracting(o -> o.invoice().id())
        .containsExactly("sub-also@2024-04-01", "sub-good@2024-04-01");
    assertThat(r.outcomes()).extracting(o -> o.invoice().number().orElseThrow())
        .containsExactly("INV-000001", "INV-000002");
    assertThat(r.outcomes().get(1).invoice().total()).isEqualByComparingTo("2.00");
    assertThat(r.failures()).singleElement().satisfies(f -> {
      assertThat(f.invoice()).isEqualTo("sub-bad@2024-04-01");
      assertThat(f.customer()).isEqualTo("bad");
      assertThat(f.period()).isEqualTo("2024-04-01..2024-05-01");
      assertThat(f.reason()).isEqualTo("charge 'tokens' of plan ai@1: no price for model=medium and no fallback price; add one of them");
    });
    // Nothing of the failed invoice was written, and numbering has no gap for it.
    assertThat(bed.pricing.invoices().find(PricingBed.TENANT, "sub-bad@2024-04-01")).isEmpty();

    // The JSON names the failure once, with its reason, beside the invoices written.
    var json = r.toJson();
    assertThat(json.path("invoices")).hasSize(2);
    assertThat(json.path("failures").get(0).path("reason").asText()).contains("no price for model=medium");

    // Fixed by moving the subscription to a version with a fallback: the next run invoices it, the others stay.
    bed.apply("""
        subscriptions:
          - {id: sub-bad, customer: bad, plan: ai, version: 2, start: 2024-01-01}
        """);
    InvoiceRunner.RunResult again = bed.pricing.runner().run(PricingBed.TENANT, APRIL, Set.of(), Optional.empty());
    assertThat(again.failures()).isEmpty();
    assertThat(again.outcomes()).extracting(o -> o.action().label())
        .containsExactly("already final", "finalized", "already final");
    // 1000 × 0.001 + 500 × 0.002 = 2.00, numbered next.
    assertThat(again.outcomes().get(1).invoice().total()).isEqualByComparingTo("2.00");
    assertThat(again.outcomes().get(1).invoice().number()).contains("INV-000003");
  }

  @Test
  void theListFormThrowsTheFailuresAfterWritingTheOthers() {
    assertThatThrownBy(() -> bed.pricing.runner().run(PricingBed.TENANT, APRIL, Set.of()))
        .isInstanceOfSatisfying(TallyException.class, e -> {
          assertThat(e.getMessage()).isEqualTo("1 of 3 invoice(s) failed; the others were written");
          assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("subscriptions[sub-bad]");
            assertThat(p.message()).isEqualTo("period 2024-04-01..2024-05-01 (invoice sub-bad@2024-04-01): charge "
                + "'tokens' of plan ai@1: no price for model=medium and no fallback price; add one of them");
          });
        });
    assertThat(bed.pricing.invoices().list(PricingBed.TENANT, Optional.of(APRIL), Optional.empty())).hasSize(2);
  }

  @Test
  void aFailedDraftKeepsItsLastGoodVersion() {
    bed.clock.set("2024-05-02T00:00:00Z"); // in the grace period: drafts
    bed.apply("""
        subscriptions:
          - {id: sub-bad, customer: bad, plan: ai, version: 2, start: 2024-01-01}
        """);
    InvoiceRunner.RunResult first = bed.pricing.runner().run(PricingBed.TENANT, APRIL, Set.of("bad"),
        Optional.empty());
    assertThat(first.failures()).isEmpty();
    StoredInvoice draft = first.outcomes().get(0).invoice();
    bed.apply("""
        subscriptions:
          - {id: sub-bad, customer: bad, plan: ai, version: 1, start: 2024-01-01}
        """);
    InvoiceRunner.RunResult second = bed.pricing.runner().run(PricingBed.TENANT, APRIL, Set.of("bad"),
        Optional.of(Instant.parse("2024-05-02T00:00:00Z")));
    assertThat(second.outcomes()).isEmpty();
    assertThat(second.failures()).hasSize(1);
    assertThat(bed.pricing.invoices().require(PricingBed.TENANT, draft.id()).doc()).isEqualTo(draft.doc());
  }
}
