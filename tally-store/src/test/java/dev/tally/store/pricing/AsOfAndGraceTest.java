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
 * Invoice runs at a chosen moment ({@code asOf}) and grace periods per tenant, plan and customer: the customer's
 * wins over the plan's, which wins over the tenant's.
 */
class AsOfAndGraceTest extends OnPricingBed {
  static final YearMonth APRIL = YearMonth.of(2024, 4);
  static final String CATALOG = """
      settings: {gracePeriod: P3D}
      customers:
        - {id: plain, currency: USD, subjects: [p1]}
        - {id: onplan, currency: USD, subjects: [q1]}
        - {id: patient, currency: USD, subjects: [r1], gracePeriod: P10D}
      plans:
        - {id: std, version: 1, currency: USD, charges: [{id: req, meter: requests, price: {model: per_unit, unitPrice: 0.5}}]}
        - {id: fast, version: 1, currency: USD, gracePeriod: PT12H,
           charges: [{id: req, meter: requests, price: {model: per_unit, unitPrice: 0.5}}]}
      subscriptions:
        - {id: sub-plain, customer: plain, plan: std, version: 1, start: 2024-01-01}
        - {id: sub-onplan, customer: onplan, plan: fast, version: 1, start: 2024-01-01}
        - {id: sub-patient, customer: patient, plan: fast, version: 1, start: 2024-01-01}
      """;

  AsOfAndGraceTest() {
    super("2024-04-20T00:00:00Z", CATALOG); // the real clock stays in April throughout
  }

  @BeforeEach
  void ingest() {
    bed.requests("p1", 2, "2024-04-02T00:00:00Z");
    bed.requests("q1", 4, "2024-04-02T00:00:00Z");
    bed.requests("r1", 6, "2024-04-02T00:00:00Z");
  }

  private InvoiceRunner.RunResult runAt(String asOf) {
    return bed.pricing.runner().run(PricingBed.TENANT, APRIL, Set.of(), Optional.of(Instant.parse(asOf)));
  }

  private static String status(InvoiceRunner.RunResult r, String subscription) {
    return r.outcomes().stream().filter(o -> o.invoice().subscription().equals(subscription)).findFirst()
        .orElseThrow().invoice().status().label();
  }

  @Test
  void eachInvoiceFinalisesAtItsOwnGracePeriodOnTheAsOfClock() {
    // Period ends 2024-05-01T00:00Z. The plan's 12 hours have passed for 'onplan'; 'plain' has the tenant's 3 days,
    // 'patient' its own 10 days although its plan says 12 hours.
    InvoiceRunner.RunResult noon = runAt("2024-05-01T12:00:00Z");
    assertThat(noon.asOf()).isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
    assertThat(status(noon, "sub-plain")).isEqualTo("draft");
    assertThat(status(noon, "sub-onplan")).isEqualTo("final");
    assertThat(status(noon, "sub-patient")).isEqualTo("draft");
    assertThat(noon.outcomes()).filteredOn(o -> o.invoice().status() == StoredInvoice.Status.DRAFT)
        .extracting(o -> o.invoice().doc().path("finalizesAt").asText())
        .containsExactly("2024-05-11T00:00:00Z", "2024-05-04T00:00:00Z"); // by subscription: patient, plain

    // Exactly at the end of the grace period counts as past it.
    InvoiceRunner.RunResult fourth = runAt("2024-05-04T00:00:00Z");
    assertThat(status(fourth, "sub-plain")).isEqualTo("final");
    assertThat(status(fourth, "sub-patient")).isEqualTo("draft");
    assertThat(runAt("2024-05-10T23:59:59Z").outcomes()).extracting(o -> o.action().label())
        .containsExactly("already final", "unchanged", "already final");
    InvoiceRunner.RunResult eleventh = runAt("2024-05-11T00:00:00Z");
    assertThat(status(eleventh, "sub-patient")).isEqualTo("final");
    assertThat(eleventh.outcomes()).extracting(o -> o.invoice().number().orElseThrow())
        .containsExactly("INV-000001", "INV-000003", "INV-000002"); // in the order they were finalised
    // The seal records when it was written (the store's clock), not the moment the run was asked to take as now.
    assertThat(eleventh.outcomes().get(1).invoice().doc().path("finalizedAt").asText())
        .isEqualTo("2024-04-20T00:00:00Z");
  }

  @Test
  void aRunAsOfAnEarlierMomentNeverUndoesAFinalInvoice() {
    runAt("2024-06-01T00:00:00Z");
    InvoiceRunner.RunResult before = runAt("2024-04-25T00:00:00Z");
    assertThat(before.outcomes()).extracting(o -> o.action().label()).containsOnly("already final");
  }

  @Test
  void theStoreClockIsTheDefault() {
    InvoiceRunner.RunResult r = bed.pricing.runner().run(PricingBed.TENANT, APRIL, Set.of(), Optional.empty());
    assertThat(r.asOf()).isEqualTo(Instant.parse("2024-04-20T00:00:00Z"));
    assertThat(r.outcomes()).allMatch(o -> o.invoice().status() == StoredInvoice.Status.DRAFT);
  }

  @Test
  void aBadGracePeriodIsNamedByItsPath() {
    assertThatThrownBy(() -> bed.apply("""
        customers:
          - {id: x, currency: USD, gracePeriod: three days}
        plans:
          - {id: y, version: 1, currency: USD, gracePeriod: -P1D}
        """)).isInstanceOfSatisfying(TallyException.class, e -> assertThat(e.problems())
            .extracting(p -> p.field() + ": " + p.message()).containsExactly(
                "customers[0].gracePeriod: must be an ISO 8601 duration such as P3D or PT12H",
                "plans[0].gracePeriod: must not be negative"));
  }
}
