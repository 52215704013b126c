package dev.tally.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Taxes per charge and per plan beside the customer's, and several taxes on one invoice: the worked examples of
 * docs/pricing.md ("Taxes").
 */
class TaxesTest {
  static final Tax VAT = new Tax("VAT", new BigDecimal("20"));
  static final Tax DST = new Tax("digital services", new BigDecimal("3"));
  static final Tax REDUCED = new Tax("VAT reduced", new BigDecimal("5.5"));

  static Charge requests(Optional<List<Tax>> taxes) {
    Charge c = Fixtures.REQUESTS;
    return new Charge(c.id(), c.description(), c.meter(), c.filter(), c.unit(), c.pricing(), taxes);
  }

  static Charge tokens(Optional<List<Tax>> taxes) {
    Charge c = Fixtures.TOKENS;
    return new Charge(c.id(), c.description(), c.meter(), c.filter(), c.unit(), c.pricing(), taxes);
  }

  static Invoice assemble(Customer cu, Optional<List<Tax>> planTaxes, Charge requests, Charge tokens,
      List<Discount> discounts) {
    BillingPeriod p = Fixtures.april();
    PlanVersion plan = new PlanVersion("api", 1, "API", "USD", BillingInterval.MONTH,
        Optional.of(new FixedFee(new BigDecimal("100"), FixedFee.Timing.ARREARS)), Optional.empty(),
        List.of(requests, tokens), Optional.empty(), planTaxes);
    return InvoiceAssembler.assemble(new InvoiceRequest(cu, Fixtures.subscription(LocalDate.parse("2024-01-01"),
        Optional.empty()), plan, p, List.of(Fixtures.usage(requests, "150000", p), Fixtures.usage(tokens, "25000", p)),
        discounts, Map.of(), List.of(), List.of()));
  }

  static Customer customer(List<Tax> taxes) {
    return new Customer("acme", "Acme", "USD", BigDecimal.ZERO, Fixtures.UTC, List.of("customer-01"), Map.of(),
        Optional.empty(), Optional.of(taxes));
  }

  static List<String> described(Invoice inv) {
    List<String> out = new ArrayList<>();
    inv.lines().forEach(l -> out.add(l.kind() + " " + l.description() + " = " + l.amount()));
    return out;
  }

  @Test
  void severalTaxesOnOneInvoiceEachOnTheLinesItAppliesTo() {
    // Fee 100 (the customer's VAT 20 %), requests 150 (VAT 20 % and a 3 % digital services tax), tokens 38 (a
    // reduced VAT of 5.5 %), 20 off the invoice shared among the three groups in proportion: 100, 150 and 38 of 288.
    Invoice inv = assemble(customer(List.of(VAT)), Optional.empty(), requests(Optional.of(List.of(VAT, DST))),
        tokens(Optional.of(List.of(REDUCED))),
        List.of(Fixtures.discount("welcome-20", Reduction.Kind.FIXED, "20", Optional.empty())));
    assertThat(described(inv)).containsExactly(
        "FIXED_FEE API fixed fee 2024-04-01..2024-05-01 (in arrears) = 100.00",
        "USAGE API requests = 150.00",
        "USAGE AI tokens = 38.00",
        "DISCOUNT Discount welcome-20: 20 off = -20.00",
        // shares: -20 × 100/288 = -6.94, -20 × 150/288 = -10.42, the rest -2.64
        "TAX VAT 20 % on 232.64 = 46.53",           // (100 - 6.94) + (150 - 10.42)
        "TAX VAT reduced 5.5 % on 35.36 = 1.94",    // 38 - 2.64
        "TAX digital services 3 % on 139.58 = 4.19");
    assertThat(inv.tax()).isEqualByComparingTo("52.66");
    assertThat(inv.total()).isEqualByComparingTo("320.66");
    assertThat(inv.lines().get(4).explanation().rule()).isEqualTo("tax VAT of customer acme, charge 'requests'");
  }

  @Test
  void aPlansTaxesReplaceTheCustomersAndAChargeCanBeExempt() {
    // The customer's 20 % is replaced by the plan's GST of 10 %; tokens are exempt (an empty list).
    Invoice inv = assemble(Fixtures.customer("20"), Optional.of(List.of(new Tax("GST", BigDecimal.TEN))),
        requests(Optional.empty()), tokens(Optional.of(List.of())), List.of());
    assertThat(described(inv)).containsExactly(
        "FIXED_FEE API fixed fee 2024-04-01..2024-05-01 (in arrears) = 100.00",
        "USAGE API requests = 150.00",
        "USAGE AI tokens = 38.00",
        "TAX GST 10 % on 250.00 = 25.00");
    assertThat(inv.total()).isEqualByComparingTo("313.00");
  }

  @Test
  void theCustomersRateAloneGivesTheSameLineAsBefore() {
    Invoice inv = InvoiceAssembler.assemble(Fixtures.workedExample());
    InvoiceLine tax = inv.lines().stream().filter(l -> l.kind() == LineKind.TAX).findFirst().orElseThrow();
    assertThat(tax.description()).isEqualTo("Tax 20 % on 441.75");
    assertThat(tax.explanation().rule()).isEqualTo("tax rate of customer acme");
    assertThat(tax.amount()).isEqualByComparingTo("88.35");
  }

  static Invoice assembleInclusive(Customer cu, String fee, Charge requests, Charge tokens, List<Discount> discounts) {
    BillingPeriod p = Fixtures.april();
    PlanVersion plan = new PlanVersion("api", 1, "API", "USD", BillingInterval.MONTH,
        Optional.of(new FixedFee(new BigDecimal(fee), FixedFee.Timing.ARREARS)), Optional.empty(),
        List.of(requests, tokens), Optional.empty(), Optional.empty(), true);
    return InvoiceAssembler.assemble(new InvoiceRequest(cu, Fixtures.subscription(LocalDate.parse("2024-01-01"),
        Optional.empty()), plan, p, List.of(Fixtures.usage(requests, "150000", p), Fixtures.usage(tokens, "25000", p)),
        discounts, Map.of(), List.of(), List.of()));
  }

  @Test
  void pricesThatIncludeTaxAreStatedNetAndTheTotalIsWhatThePricesSaid() {
    // The worked example of docs/pricing.md ("Prices that include tax"): the same taxes as above, a fee of 120
    // (including the customer's VAT), and 20 off the invoice, shared 120, 150 and 38 of 308.
    Invoice inv = assembleInclusive(customer(List.of(VAT)), "120", requests(Optional.of(List.of(VAT, DST))),
        tokens(Optional.of(List.of(REDUCED))),
        List.of(Fixtures.discount("welcome-20", Reduction.Kind.FIXED, "20", Optional.empty())));
    assertThat(described(inv)).containsExactly(
        // shares of -20: -7.79 (120/308), -9.74 (150/308), the rest -2.47; gross 112.21, 140.26 and 35.53
        "FIXED_FEE API fixed fee 2024-04-01..2024-05-01 (in arrears) = 101.30", // 120 - 112.21 × 20/120 = 18.70
        "USAGE API requests = 123.77",                                          // 150 - 140.26 × 23/123 = 26.23
        "USAGE AI tokens = 36.15",                                              // 38 - 35.53 × 5.5/105.5 = 1.85
        "DISCOUNT Discount welcome-20: 20 off = -20.00",
        "TAX VAT 20 % included in 252.47 = 41.51",                  // 18.70 + 26.23 × 20/23 = 22.81
        "TAX VAT reduced 5.5 % included in 35.53 = 1.85",
        "TAX digital services 3 % included in 140.26 = 3.42");      // 26.23 - 22.81
    assertThat(inv.total()).as("what the prices said: 120 + 150 + 38 - 20").isEqualByComparingTo("288.00");
    assertThat(inv.tax()).isEqualByComparingTo("46.78");
    InvoiceLine requestsLine = inv.lines().get(1);
    assertThat(requestsLine.explanation().arithmetic())
        .endsWith("the price includes VAT 20 %, digital services 3 %: 150.00 includes 26.23 of tax, stated net "
            + "150.00 − 26.23 = 123.77");
    assertThat(inv.lines().get(4).explanation().arithmetic())
        .isEqualTo("112.21 × 20 / 120 = 18.70 included; 140.26 × 23 / 123 = 26.23 included, of which VAT 26.23 × 20 "
            + "/ 23 = 22.81; total 41.51");
    assertThat(inv.lines().get(4).explanation().rule())
        .isEqualTo("tax VAT of customer acme, charge 'requests', included in the prices of plan api@1");
  }

  @Test
  void withOneTaxTheIncludedTaxIsTheGrossTimesRateOverHundredPlusRate() {
    // 20 % VAT included in a fee of 100, 150 of requests and 38 of tokens: 288 × 20/120 = 48.00 exactly, taken off
    // the lines in proportion (16.67, 25.00, the rest 6.33); and the same invoice before tax would total 345.60.
    Invoice inv = assembleInclusive(Fixtures.customer("20"), "100", requests(Optional.empty()),
        tokens(Optional.empty()), List.of());
    assertThat(described(inv)).containsExactly(
        "FIXED_FEE API fixed fee 2024-04-01..2024-05-01 (in arrears) = 83.33",
        "USAGE API requests = 125.00",
        "USAGE AI tokens = 31.67",
        "TAX Tax 20 % included in 288.00 = 48.00");
    assertThat(inv.total()).isEqualByComparingTo("288.00");
    Invoice before = assemble(Fixtures.customer("20"), Optional.empty(), requests(Optional.empty()),
        tokens(Optional.empty()), List.of());
    assertThat(before.total()).isEqualByComparingTo("345.60");
  }

  @Test
  void anExemptChargeInAnInclusivePlanKeepsItsAmount() {
    Invoice inv = assembleInclusive(Fixtures.customer("20"), "120", requests(Optional.empty()),
        tokens(Optional.of(List.of())), List.of());
    assertThat(described(inv)).containsExactly(
        "FIXED_FEE API fixed fee 2024-04-01..2024-05-01 (in arrears) = 100.00",
        "USAGE API requests = 125.00",
        "USAGE AI tokens = 38.00",
        "TAX Tax 20 % included in 270.00 = 45.00");
    assertThat(inv.total()).isEqualByComparingTo("308.00");
  }
}
