package dev.tally.store.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Late usage of a subscription that has ended is billed on an adjustment invoice of its own, not dropped: once every
 * period is final, the difference goes on {@code <subscription>@<end day>}, a draft for the grace period, then final
 * and numbered; a later difference goes on the next one.
 */
class LateUsageAfterEndTest extends OnPricingBed {
  static final String CATALOG = """
      customers:
        - {id: gone, currency: USD, taxRate: 10, subjects: [g1]}
      plans:
        - {id: api, version: 1, currency: USD, fixedFee: {amount: 5, timing: arrears},
           charges: [{id: req, description: API requests, meter: requests, unit: requests, price: {model: per_unit, unitPrice: 0.5}}]}
      subscriptions:
        - {id: sub-gone, customer: gone, plan: api, version: 1, start: 2024-01-01, end: 2024-03-01}
      """;

  LateUsageAfterEndTest() {
    super("2024-04-10T00:00:00Z", CATALOG);
  }

  @BeforeEach
  void ingest() {
    bed.requests("g1", 10, "2024-01-10T00:00:00Z");
    bed.requests("g1", 20, "2024-02-10T00:00:00Z");
    bed.pricing.runner().run(PricingBed.TENANT, YearMonth.of(2024, 1), Set.of());
    bed.pricing.runner().run(PricingBed.TENANT, YearMonth.of(2024, 2), Set.of());
  }

  private InvoiceRunner.RunResult run(String month) {
    return bed.pricing.runner().run(PricingBed.TENANT, YearMonth.parse(month), Set.of(), Optional.empty());
  }

  @Test
  void lateUsageAfterTheEndGoesOnAnAdjustmentInvoice() {
    assertThat(run("2024-04").outcomes()).isEmpty(); // nothing late yet: no invoice
    bed.requests("g1", 8, "2024-02-20T00:00:00Z"); // 8 requests late for February: 4.00, + 10 % tax
    InvoiceRunner.RunResult r = run("2024-04");
    assertThat(r.failures()).isEmpty();
    assertThat(r.outcomes()).singleElement().satisfies(o -> {
      assertThat(o.action()).isEqualTo(InvoiceRunner.Action.CREATED);
      StoredInvoice adj = o.invoice();
      assertThat(adj.id()).isEqualTo("sub-gone@2024-03-01");
      assertThat(adj.status()).isEqualTo(StoredInvoice.Status.DRAFT);
      assertThat(adj.doc().path("kind").asText()).isEqualTo("adjustment");
      assertThat(adj.doc().path("finalizesAt").asText()).isEqualTo("2024-04-13T00:00:00Z");
      assertThat(kinds(adj)).containsExactly("adjustment 4.00", "tax 0.40");
      assertThat(adj.doc().path("lines").get(0).path("description").asText())
          .isEqualTo("Late usage for invoice INV-000002: req");
      assertThat(adj.total()).isEqualByComparingTo("4.40");
    });
    // Within its grace period, more late usage updates the same draft; a run of any month finds it.
    bed.requests("g1", 2, "2024-01-31T00:00:00Z");
    InvoiceRunner.RunResult more = run("2024-01");
    assertThat(more.outcomes()).extracting(o -> o.action().label()).containsExactly("already final", "updated");
    assertThat(kinds(more.outcomes().get(1).invoice())).containsExactly("adjustment 1.00", "adjustment 4.00",
        "tax 0.50");

    bed.clock.set("2024-04-14T00:00:00Z");
    StoredInvoice fin = run("2024-04").outcomes().get(0).invoice();
    assertThat(fin.status()).isEqualTo(StoredInvoice.Status.FINAL);
    assertThat(fin.number()).contains("INV-000003");
    assertThat(run("2024-04").outcomes()).isEmpty(); // billed once

    // A later difference goes on the next adjustment invoice.
    bed.requests("g1", 4, "2024-02-28T00:00:00Z");
    StoredInvoice second = run("2024-05").outcomes().get(0).invoice();
    assertThat(second.id()).isEqualTo("sub-gone@2024-03-01.2");
    assertThat(kinds(second)).containsExactly("adjustment 2.00", "tax 0.20");
  }

  @Test
  void anAdjustmentAfterTheEndIsTaxedAsItsChargeWas() {
    // A second version whose charge has a tax of its own (VAT 20 %, not the customer's 10 %): the adjustment invoice
    // of an ended subscription must take the charge's tax as the period's invoice did, not fall back to the
    // customer's for want of the plan's charges.
    bed.apply("""
        plans:
          - {id: api, version: 2, currency: USD,
             charges: [{id: req, meter: requests, unit: requests, price: {model: per_unit, unitPrice: 0.5},
                        taxes: [{name: VAT, rate: 20}]}]}
        subscriptions:
          - {id: sub-two, customer: gone, plan: api, version: 2, start: 2024-01-01, end: 2024-02-01}
        """);
    run("2024-01");
    bed.requests("g1", 8, "2024-01-20T00:00:00Z"); // late for January on both subscriptions
    InvoiceRunner.RunResult r = run("2024-04");
    StoredInvoice two = r.outcomes().stream().map(InvoiceRunner.Outcome::invoice)
        .filter(i -> i.subscription().equals("sub-two")).findFirst().orElseThrow();
    assertThat(kinds(two)).containsExactly("adjustment 4.00", "tax 0.80");
    assertThat(two.doc().path("lines").get(1).path("description").asText()).isEqualTo("VAT 20 % on 4.00");
  }

  private static List<String> kinds(StoredInvoice inv) {
    List<String> out = new ArrayList<>();
    for (JsonNode l : inv.doc().path("lines")) {
      out.add(l.path("kind").asText() + " " + l.path("amount").asText());
    }
    return out;
  }
}
