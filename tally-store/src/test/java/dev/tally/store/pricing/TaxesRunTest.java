package dev.tally.store.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.api.TallyException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Taxes declared in a catalogue file, on a real store and run: per charge, per plan, several on one invoice. */
class TaxesRunTest extends OnPricingBed {
  static final String CATALOG = """
      customers:
        - {id: fr, currency: EUR, subjects: [f1], taxes: [{name: VAT, rate: 20}]}
      plans:
        - id: ai
          version: 1
          currency: EUR
          fixedFee: {amount: 10}
          charges:
            - {id: req, description: Requests, meter: requests, price: {model: per_unit, unitPrice: 1},
               taxes: [{name: VAT, rate: 20}, {name: digital services, rate: 3}]}
            - {id: tok, description: Tokens, meter: tokens, price: {model: per_unit, unitPrice: 0.01},
               taxes: [{name: VAT reduced, rate: 5.5}]}
      subscriptions:
        - {id: sub-fr, customer: fr, plan: ai, version: 1, start: 2024-01-01}
      """;

  TaxesRunTest() {
    super("2024-05-10T00:00:00Z", CATALOG);
  }

  @BeforeEach
  void ingest() {
    bed.requests("f1", 50, "2024-04-03T00:00:00Z");
    bed.tokens("f1", "small", 1, 2000, "2024-04-03T00:00:00Z");
  }

  @Test
  void eachLineIsTaxedByItsChargeOrItsCustomer() {
    StoredInvoice inv = bed.pricing.runner().run(PricingBed.TENANT, YearMonth.of(2024, 4), Set.of()).get(0)
        .invoice();
    List<String> lines = new ArrayList<>();
    for (JsonNode l : inv.doc().path("lines")) {
      lines.add(l.path("description").asText() + " = " + l.path("amount").asText());
    }
    // fee 10 and requests 50 at VAT 20 % = 12.00; tokens 20 at 5.5 % = 1.10; requests at 3 % = 1.50.
    assertThat(lines).containsExactly("ai fixed fee 2024-04-01..2024-05-01 (in arrears) = 10.00", "Requests = 50.00",
        "Tokens = 20.00", "VAT 20 % on 60.00 = 12.00", "VAT reduced 5.5 % on 20.00 = 1.10",
        "digital services 3 % on 50.00 = 1.50");
    assertThat(inv.total()).isEqualByComparingTo("94.60");
  }

  @Test
  void badTaxesAreNamedByTheirPath() {
    assertThatThrownBy(() -> bed.apply("""
        customers:
          - {id: x, currency: EUR, taxRate: 20, taxes: [{name: VAT, rate: 20}]}
        plans:
          - {id: p, version: 1, currency: EUR, taxes: [{name: VAT, rate: 120}, {rate: 2}],
             charges: [{id: c, meter: requests, price: {model: flat, amount: 1}, taxes: {VAT: 20}}]}
        """)).isInstanceOfSatisfying(TallyException.class, e -> assertThat(e.problems())
            .extracting(p -> p.field() + ": " + p.message()).containsExactly(
                "customers[0].taxes: give taxRate (one tax) or taxes (named rates), not both",
                "plans[0].taxes[0].rate: must be a percentage between 0 and 100",
                "plans[0].taxes[1].name: is required",
                "plans[0].charges[0].taxes: must be a list of {name, rate} (an empty list: exempt)"));
  }
}
