package dev.tally.core.pricing;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * One tier of a graduated or volume price: the quantities up to {@code upTo} (inclusive), priced at {@code unitPrice}
 * per unit plus {@code flatFee} once when the tier is reached. The last tier has no upper bound.
 *
 * @param upTo inclusive upper bound of the tier; empty for the last tier
 * @param unitPrice price per unit in this tier, not negative
 * @param flatFee fee charged once when usage reaches this tier, not negative
 */
record Tier(Optional<BigDecimal> upTo, BigDecimal unitPrice, BigDecimal flatFee) {
  public Tier {
    requireNonNull(upTo, "upTo is null");
    requireNonNull(unitPrice, "unitPrice is null");
    requireNonNull(flatFee, "flatFee is null");
    if (unitPrice.signum() < 0) {
      throw new IllegalArgumentException("unitPrice must not be negative, given " + unitPrice);
    }
    if (flatFee.signum() < 0) {
      throw new IllegalArgumentException("flatFee must not be negative, given " + flatFee);
    }
    upTo.ifPresent(u -> {
      if (u.signum() <= 0) {
        throw new IllegalArgumentException("upTo must be positive, given " + u);
      }
    });
  }

  /** A bounded tier without a flat fee. */
  public static Tier upTo(String upTo, String unitPrice) {
    return new Tier(Optional.of(new BigDecimal(upTo)), new BigDecimal(unitPrice), BigDecimal.ZERO);
  }

  /** The unbounded last tier without a flat fee. */
  public static Tier rest(String unitPrice) {
    return new Tier(Optional.empty(), new BigDecimal(unitPrice), BigDecimal.ZERO);
  }

  /** This tier with a flat fee. */
  public Tier withFlatFee(String fee) {
    return new Tier(upTo, unitPrice, new BigDecimal(fee));
  }
}
