package dev.tally.core.pricing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** The worked invoice example of docs/pricing.md, and builders to vary it. */
final class Fixtures {
  static final ZoneId UTC = ZoneId.of("UTC");
  static final Charge REQUESTS = new Charge("requests", "API requests", "api_requests", Map.of(), "requests",
      new Pricing.Uniform(new PriceModel.PerUnit(new BigDecimal("0.001"))));
  static final Charge TOKENS = new Charge("tokens", "AI tokens", "ai_tokens", Map.of(), "tokens",
      new Pricing.Uniform(PriceModelTest.GRADUATED));

  private Fixtures() {}

  static Customer customer(String taxRate) {
    return new Customer("acme", "Acme", "USD", new BigDecimal(taxRate), UTC, List.of("customer-01"), Map.of());
  }

  static PlanVersion plan(Optional<FixedFee> fee, Optional<BigDecimal> minimum) {
    return new PlanVersion("api", 1, "API", "USD", BillingInterval.MONTH, fee, minimum, List.of(REQUESTS, TOKENS));
  }

  static Subscription subscription(LocalDate start, Optional<LocalDate> end, CouponRedemption... coupons) {
    return new Subscription("sub-acme", "acme", "api", 1, start, end, Subscription.Anchor.CALENDAR,
        List.of(coupons));
  }

  static BillingPeriod april() {
    return period(LocalDate.parse("2024-04-01"), Optional.empty(), "2024-04-01");
  }

  static BillingPeriod period(LocalDate start, Optional<LocalDate> end, String runMonth) {
    LocalDate from = LocalDate.parse(runMonth);
    return BillingPeriods.startingIn(subscription(start, end), BillingInterval.MONTH, UTC, from, from.plusMonths(1))
        .get(0);
  }

  static ChargeUsage usage(Charge c, String quantity, BillingPeriod p) {
    return new ChargeUsage(c, Map.of(), Usage.of(quantity), new UsageSource(c.meter(), p.from(), p.to(),
        List.of("customer-01"), Map.of(), new BigDecimal(quantity)));
  }

  static Discount discount(String id, Reduction.Kind kind, String value, Optional<String> charge) {
    return new Discount(id, Optional.of("acme"), Optional.empty(), new Reduction(kind, new BigDecimal(value)), charge,
        LocalDate.parse("2024-01-01"), Optional.of(LocalDate.parse("2025-01-01")));
  }

  static Coupon coupon(String code, Reduction.Kind kind, String value, OptionalInt periods) {
    return new Coupon(code, new Reduction(kind, new BigDecimal(value)), periods);
  }

  static WalletBalance wallet(String id, String amount, int priority, Optional<String> expires) {
    return new WalletBalance(new CreditWallet(id, "acme", new BigDecimal(amount), priority,
        LocalDate.parse("2024-01-01"), expires.map(LocalDate::parse)), new BigDecimal(amount));
  }

  /** The worked example: every step of the order of application shows. */
  static InvoiceRequest workedExample() {
    BillingPeriod p = april();
    return new InvoiceRequest(customer("20"),
        subscription(LocalDate.parse("2024-01-01"), Optional.empty(),
            new CouponRedemption("SPRING5", LocalDate.parse("2024-04-01"))),
        plan(Optional.of(new FixedFee(new BigDecimal("100"), FixedFee.Timing.ARREARS)),
            Optional.of(new BigDecimal("500"))),
        p,
        List.of(usage(REQUESTS, "150000", p), usage(TOKENS, "25000", p)),
        List.of(discount("loyal-requests", Reduction.Kind.PERCENT, "10", Optional.of("requests")),
            discount("welcome-20", Reduction.Kind.FIXED, "20", Optional.empty())),
        Map.of("SPRING5", coupon("SPRING5", Reduction.Kind.PERCENT, "5", OptionalInt.of(1))),
        List.of(wallet("promo", "50", 1, Optional.of("2024-06-01")), wallet("prepaid", "200", 2, Optional.empty())),
        List.of());
  }

  static List<String> lines(Invoice inv) {
    List<String> out = new ArrayList<>();
    inv.lines().forEach(l -> out.add(l.kind() + " " + l.amount()));
    return out;
  }

  static Instant instant(String s) {
    return Instant.parse(s);
  }
}
