package dev.tally.core.pricing;

import static dev.tally.core.pricing.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.BigRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;

/** Invariants of assembled invoices over random usage, discounts, coupons, tax and credits. */
class InvoicePropertiesTest {
  @Property(tries = 300)
  void totalIsTheSumOfRoundedLinesAndNeverNegative(
      @ForAll @BigRange(min = "0", max = "10000000") @Scale(3) BigDecimal requests,
      @ForAll @BigRange(min = "0", max = "200000") @Scale(2) BigDecimal tokens,
      @ForAll @BigRange(min = "0", max = "100") @Scale(2) BigDecimal percentOff,
      @ForAll @BigRange(min = "0", max = "500") @Scale(2) BigDecimal fixedOff,
      @ForAll @BigRange(min = "0", max = "30") @Scale(3) BigDecimal taxRate,
      @ForAll @BigRange(min = "0", max = "2000") @Scale(2) BigDecimal credit,
      @ForAll @IntRange(min = 1, max = 30) int startDay) {
    Subscription s = subscription(LocalDate.of(2024, 4, startDay), Optional.empty(),
        new CouponRedemption("C", LocalDate.parse("2024-01-01")));
    BillingPeriod p = BillingPeriods.startingIn(s, BillingInterval.MONTH, UTC, LocalDate.parse("2024-04-01"),
        LocalDate.parse("2024-05-01")).get(0);
    InvoiceRequest r = new InvoiceRequest(customer(taxRate.toPlainString()), s,
        plan(Optional.of(new FixedFee(new BigDecimal("19.99"), FixedFee.Timing.ARREARS)),
            Optional.of(new BigDecimal("250"))), p,
        List.of(usage(REQUESTS, requests.toPlainString(), p), usage(TOKENS, tokens.toPlainString(), p)),
        List.of(discount("d1", Reduction.Kind.PERCENT, percentOff.toPlainString(), Optional.of("tokens")),
            discount("d2", Reduction.Kind.FIXED, fixedOff.toPlainString(), Optional.empty())),
        Map.of("C", coupon("C", Reduction.Kind.PERCENT, "7.5", OptionalInt.empty())),
        List.of(wallet("w", credit.toPlainString(), 1, Optional.empty())), List.of());
    Invoice inv = InvoiceAssembler.assemble(r);
    BigDecimal sum = inv.lines().stream().map(InvoiceLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(inv.total()).isEqualByComparingTo(sum);
    assertThat(inv.total().signum()).isGreaterThanOrEqualTo(0);
    assertThat(inv.totalBeforeCredits().signum()).isGreaterThanOrEqualTo(0);
    assertThat(inv.subtotal()).isGreaterThanOrEqualTo(Money.round(p.prorate(new BigDecimal("250")), "USD"));
    inv.lines().forEach(l -> assertThat(l.amount().scale()).isEqualTo(2));
    // Re-assembling the same inputs gives the same invoice.
    assertThat(InvoiceAssembler.assemble(r)).isEqualTo(inv);
  }
}
