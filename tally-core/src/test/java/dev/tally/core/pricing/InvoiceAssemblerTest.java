package dev.tally.core.pricing;

import static dev.tally.core.pricing.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class InvoiceAssemblerTest {
  @Test
  void workedExampleAppliesEveryStepInOrder() {
    Invoice inv = InvoiceAssembler.assemble(workedExample());
    assertThat(lines(inv)).containsExactly(
        "FIXED_FEE 100.00",          // fixed fee in arrears
        "USAGE 150.00",              // 150,000 requests × 0.001
        "USAGE 38.00",               // 25,000 tokens, graduated
        "COMMITMENT_TRUE_UP 212.00", // 500 − 288
        "DISCOUNT -15.00",           // 10 % of the requests charge
        "DISCOUNT -20.00",           // 20 off the invoice
        "COUPON -23.25",             // 5 % of 465.00
        "TAX 88.35",                 // 20 % of 441.75
        "CREDIT -50.00",             // promo wallet, priority 1
        "CREDIT -200.00");           // prepaid wallet, priority 2
    assertThat(inv.subtotal()).isEqualByComparingTo("500.00");
    assertThat(inv.discounts()).isEqualByComparingTo("-58.25");
    assertThat(inv.totalBeforeCredits()).isEqualByComparingTo("530.10");
    assertThat(inv.total()).isEqualByComparingTo("280.10");
  }

  @Test
  void explainsTiersAndArithmetic() {
    Invoice inv = InvoiceAssembler.assemble(workedExample());
    LineExplanation tokens = inv.lines().get(2).explanation();
    assertThat(tokens.rule()).isEqualTo("graduated price of charge 'tokens' (plan api@1)");
    assertThat(tokens.source()).get().extracting(UsageSource::meter).isEqualTo("ai_tokens");
    assertThat(tokens.steps()).hasSize(3);
    assertThat(tokens.arithmetic())
        .isEqualTo("1000 × 0 = 0; 9000 × 0.002 + 5 = 23; 15000 × 0.001 = 15; total 38; rounded half-up to 38.00");
    assertThat(inv.lines().get(3).explanation().arithmetic())
        .isEqualTo("minimum 500 = 500.00; fees and charges 288.00; shortfall 500.00 − 288.00 = 212.00");
  }

  @Test
  void noTrueUpWhenUsageMeetsTheCommitment() {
    BillingPeriod p = april();
    InvoiceRequest r = request(p, plan(Optional.empty(), Optional.of(new BigDecimal("100"))),
        List.of(usage(REQUESTS, "150000", p)), List.of(), Map.of(), List.of(), "0");
    assertThat(lines(InvoiceAssembler.assemble(r))).containsExactly("USAGE 150.00");
  }

  @Test
  void zeroUsageStillMakesAnInvoice() {
    BillingPeriod p = april();
    Invoice inv = InvoiceAssembler.assemble(request(p, plan(Optional.empty(), Optional.empty()),
        List.of(usage(REQUESTS, "0", p)), List.of(), Map.of(), List.of(), "20"));
    assertThat(lines(inv)).containsExactly("USAGE 0.00", "TAX 0.00");
    assertThat(inv.total()).isEqualByComparingTo("0");
  }

  @Test
  void roundsEachLineHalfUpAndTotalsAddUp() {
    BillingPeriod p = april();
    // 12.5 requests × 0.001 = 0.0125 → 0.01; 5 requests = 0.005 → 0.01 (half-up), twice: lines add to 0.02.
    Charge other = new Charge("other", "Other", "api_requests", Map.of(), "requests",
        new Pricing.Uniform(new PriceModel.PerUnit(new BigDecimal("0.001"))));
    PlanVersion plan = new PlanVersion("api", 1, "API", "USD", BillingInterval.MONTH, Optional.empty(),
        Optional.empty(), List.of(REQUESTS, other));
    Invoice inv = InvoiceAssembler.assemble(request(p, plan,
        List.of(usage(REQUESTS, "5", p), usage(other, "5", p)), List.of(), Map.of(), List.of(), "0"));
    assertThat(lines(inv)).containsExactly("USAGE 0.01", "USAGE 0.01");
    assertThat(inv.total()).isEqualByComparingTo("0.02");
  }

  @Test
  void proratesFixedFeeAndCommitmentByActiveDays() {
    // Starts April 11: active 20 of 30 days.
    BillingPeriod p = period(LocalDate.parse("2024-04-11"), Optional.empty(), "2024-04-01");
    assertThat(p.activeDays()).isEqualTo(20);
    InvoiceRequest r = new InvoiceRequest(customer("0"),
        subscription(LocalDate.parse("2024-04-11"), Optional.empty()),
        plan(Optional.of(new FixedFee(new BigDecimal("100"), FixedFee.Timing.ARREARS)),
            Optional.of(new BigDecimal("500"))), p, List.of(), List.of(), Map.of(), List.of(), List.of());
    Invoice inv = InvoiceAssembler.assemble(r);
    assertThat(lines(inv)).containsExactly("FIXED_FEE 66.67", "COMMITMENT_TRUE_UP 266.66");
    assertThat(inv.lines().get(0).explanation().arithmetic())
        .startsWith("100 × 20/30 days = 66.666");
  }

  @Test
  void advanceFeeBillsTheNextPeriodAndTheFirstOnTheFirstInvoice() {
    PlanVersion plan = plan(Optional.of(new FixedFee(new BigDecimal("30"), FixedFee.Timing.ADVANCE)),
        Optional.empty());
    Subscription s = subscription(LocalDate.parse("2024-04-01"), Optional.of(LocalDate.parse("2024-06-16")));
    List<BillingPeriod> periods = BillingPeriods.startingIn(s, BillingInterval.MONTH, UTC,
        LocalDate.parse("2024-04-01"), LocalDate.parse("2024-07-01"));
    assertThat(periods).hasSize(3);
    List<List<String>> invoices = periods.stream().map(p -> lines(InvoiceAssembler.assemble(new InvoiceRequest(
        customer("0"), s, plan, p, List.of(), List.of(), Map.of(), List.of(), List.of())))).toList();
    assertThat(invoices.get(0)).containsExactly("FIXED_FEE 30.00", "FIXED_FEE 30.00"); // April and May
    assertThat(invoices.get(1)).containsExactly("FIXED_FEE 15.00"); // June: 15 of 30 days
    assertThat(invoices.get(2)).isEmpty(); // June's invoice: nothing after June
  }

  @Test
  void couponOnceAppliesToTheFirstPeriodOnOrAfterRedemptionOnly() {
    Subscription s = subscription(LocalDate.parse("2024-01-01"), Optional.empty(),
        new CouponRedemption("ONCE", LocalDate.parse("2024-03-15")));
    assertThat(couponLines(s, coupon("ONCE", Reduction.Kind.FIXED, "10", OptionalInt.of(1))))
        .containsExactly(0, 0, 0, 1, 0, 0); // Jan..Jun: April is the first period starting after March 15
  }

  @Test
  void couponForNPeriodsAndForever() {
    Subscription s = subscription(LocalDate.parse("2024-01-01"), Optional.empty(),
        new CouponRedemption("C", LocalDate.parse("2024-02-01")));
    assertThat(couponLines(s, coupon("C", Reduction.Kind.PERCENT, "10", OptionalInt.of(3))))
        .containsExactly(0, 1, 1, 1, 0, 0);
    assertThat(couponLines(s, coupon("C", Reduction.Kind.PERCENT, "10", OptionalInt.empty())))
        .containsExactly(0, 1, 1, 1, 1, 1);
  }

  private static List<Integer> couponLines(Subscription s, Coupon c) {
    PlanVersion plan = plan(Optional.of(new FixedFee(new BigDecimal("100"), FixedFee.Timing.ARREARS)),
        Optional.empty());
    return BillingPeriods.startingIn(s, BillingInterval.MONTH, UTC, LocalDate.parse("2024-01-01"),
        LocalDate.parse("2024-07-01")).stream().map(p -> (int) InvoiceAssembler.assemble(new InvoiceRequest(
            customer("0"), s, plan, p, List.of(), List.of(), Map.of(c.code(), c), List.of(), List.of())).lines()
        .stream().filter(l -> l.kind() == LineKind.COUPON).count()).toList();
  }

  @Test
  void discountsApplyOnlyInTheirDateRangeAndNeverBelowZero() {
    BillingPeriod p = april();
    Discount late = new Discount("later", Optional.of("acme"), Optional.empty(),
        new Reduction(Reduction.Kind.FIXED, new BigDecimal("10")), Optional.empty(), LocalDate.parse("2024-05-01"),
        Optional.empty());
    Discount big = discount("big", Reduction.Kind.FIXED, "1000", Optional.empty());
    Invoice inv = InvoiceAssembler.assemble(request(p, plan(Optional.empty(), Optional.empty()),
        List.of(usage(REQUESTS, "150000", p)), List.of(late, big), Map.of(), List.of(), "20"));
    assertThat(lines(inv)).containsExactly("USAGE 150.00", "DISCOUNT -150.00", "TAX 0.00");
  }

  @Test
  void discountForAnotherSubscriptionDoesNotApply() {
    BillingPeriod p = april();
    Discount other = new Discount("other", Optional.empty(), Optional.of("sub-other"),
        new Reduction(Reduction.Kind.PERCENT, new BigDecimal("50")), Optional.empty(), LocalDate.parse("2024-01-01"),
        Optional.empty());
    assertThat(lines(InvoiceAssembler.assemble(request(p, plan(Optional.empty(), Optional.empty()),
        List.of(usage(REQUESTS, "150000", p)), List.of(other), Map.of(), List.of(), "0"))))
        .containsExactly("USAGE 150.00");
  }

  @Test
  void creditsSkipExpiredWalletsAndUseByPriority() {
    BillingPeriod p = april(); // issued on 2024-05-01
    List<WalletBalance> wallets = List.of(
        wallet("expired", "500", 0, Optional.of("2024-05-01")),
        wallet("second", "100", 2, Optional.empty()),
        wallet("first", "30", 1, Optional.empty()));
    Invoice inv = InvoiceAssembler.assemble(request(p, plan(Optional.empty(), Optional.empty()),
        List.of(usage(REQUESTS, "150000", p)), List.of(), Map.of(), wallets, "0"));
    assertThat(lines(inv)).containsExactly("USAGE 150.00", "CREDIT -30.00", "CREDIT -100.00");
    assertThat(inv.lines()).extracting(l -> l.reference().orElse("")).containsExactly("", "first", "second");
    assertThat(inv.total()).isEqualByComparingTo("20.00");
  }

  @Test
  void creditsNeverPayMoreThanIsDue() {
    BillingPeriod p = april();
    Invoice inv = InvoiceAssembler.assemble(request(p, plan(Optional.empty(), Optional.empty()),
        List.of(usage(REQUESTS, "1000", p)), List.of(), Map.of(), List.of(wallet("w", "500", 1, Optional.empty())),
        "0"));
    assertThat(lines(inv)).containsExactly("USAGE 1.00", "CREDIT -1.00");
    assertThat(inv.total()).isEqualByComparingTo("0");
  }

  @Test
  void adjustmentsAreChargesButDoNotCountTowardsTheCommitment() {
    BillingPeriod p = april();
    Adjustment late = new Adjustment("sub-acme@2024-03-01", "INV-000003", "requests", Map.of(), "requests",
        new BigDecimal("5000"), new BigDecimal("5.00"), "155000 × 0.001 = 155.00 − billed 150.00 = 5.00");
    InvoiceRequest r = new InvoiceRequest(customer("0"), subscription(LocalDate.parse("2024-01-01"),
        Optional.empty()), plan(Optional.empty(), Optional.of(new BigDecimal("200"))), p,
        List.of(usage(REQUESTS, "150000", p)), List.of(), Map.of(), List.of(), List.of(late));
    assertThat(lines(InvoiceAssembler.assemble(r)))
        .containsExactly("USAGE 150.00", "ADJUSTMENT 5.00", "COMMITMENT_TRUE_UP 50.00");
  }

  @Test
  void refusesACurrencyMismatchAndAnUnknownCoupon() {
    BillingPeriod p = april();
    Customer eur = new Customer("acme", "Acme", "EUR", BigDecimal.ZERO, UTC, List.of(), Map.of());
    assertThatThrownBy(() -> new InvoiceRequest(eur, subscription(LocalDate.parse("2024-01-01"), Optional.empty()),
        plan(Optional.empty(), Optional.empty()), p, List.of(), List.of(), Map.of(), List.of(), List.of()))
        .hasMessageContaining("pays in EUR");
    InvoiceRequest r = new InvoiceRequest(customer("0"), subscription(LocalDate.parse("2024-01-01"),
        Optional.empty(), new CouponRedemption("NOPE", LocalDate.parse("2024-01-01"))),
        plan(Optional.empty(), Optional.empty()), p, List.of(), List.of(), Map.of(), List.of(), List.of());
    assertThatThrownBy(() -> InvoiceAssembler.assemble(r)).hasMessageContaining("coupon 'NOPE'");
  }

  @Test
  void japaneseYenHasNoMinorUnit() {
    assertThat(Money.round(new BigDecimal("10.5"), "JPY")).isEqualByComparingTo("11");
    assertThat(Money.round(new BigDecimal("0.0005"), "KWD")).isEqualByComparingTo("0.001");
    assertThatThrownBy(() -> Money.currency("XAU")).hasMessageContaining("no minor unit");
    assertThatThrownBy(() -> Money.currency("EURO")).hasMessageContaining("ISO 4217");
  }

  static InvoiceRequest request(BillingPeriod p, PlanVersion plan, List<ChargeUsage> usage, List<Discount> discounts,
      Map<String, Coupon> coupons, List<WalletBalance> wallets, String taxRate) {
    return new InvoiceRequest(customer(taxRate), subscription(LocalDate.parse("2024-01-01"), Optional.empty()), plan,
        p, usage, discounts, coupons, wallets, List.of());
  }
}
