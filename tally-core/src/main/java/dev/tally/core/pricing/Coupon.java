package dev.tally.core.pricing;

import static java.util.Objects.requireNonNull;

import java.util.OptionalInt;

/**
 * A coupon: a reduction of the whole invoice for some number of billing periods after it is redeemed.
 *
 * @param code the coupon's code
 * @param reduction percent or fixed
 * @param periods how many periods it lasts: 1 for "once", N for "N periods", empty for "forever"
 */
public record Coupon(String code, Reduction reduction, OptionalInt periods) {
  public Coupon {
    requireNonNull(code, "code is null");
    requireNonNull(reduction, "reduction is null");
    requireNonNull(periods, "periods is null");
    if (periods.isPresent() && periods.getAsInt() < 1) {
      throw new IllegalArgumentException("periods must be 1 or more, given " + periods.getAsInt());
    }
  }

  /** Whether the coupon applies to the {@code index}-th period (0-based) that starts on or after its redemption. */
  public boolean appliesToPeriod(long index) {
    return index >= 0 && (periods.isEmpty() || index < periods.getAsInt());
  }

  /** {@code once}, {@code 3 periods} or {@code forever}. */
  public String duration() {
    if (periods.isEmpty()) {
      return "forever";
    }
    return periods.getAsInt() == 1 ? "once" : periods.getAsInt() + " periods";
  }
}
