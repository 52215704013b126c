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
}
