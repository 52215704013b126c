package dev.tally.core.pricing;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;

/**
 * A coupon redeemed on a subscription: it applies to the subscription's billing periods that start on or after
 * {@code redeemedOn}, as many as the coupon lasts.
 *
 * @param code the coupon's code
 * @param redeemedOn the day it was redeemed
 */
public record CouponRedemption(String code, LocalDate redeemedOn) {
  public CouponRedemption {
    requireNonNull(code, "code is null");
    requireNonNull(redeemedOn, "redeemedOn is null");
  }
}
