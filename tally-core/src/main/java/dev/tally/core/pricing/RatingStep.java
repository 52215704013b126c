package dev.tally.core.pricing;

import static java.util.Objects.requireNonNull;

import dev.tally.core.format.Decimals;
import java.math.BigDecimal;

/**
 * One visible step of rating, such as one tier of a graduated price: what quantity was priced at what rate, plus
 * which flat amount, giving which exact amount. The steps of a rating add up to its amount.
 *
 * @param label what the step is ({@code tier 2 (1000 < q <= 10000)}, {@code 3 packages of 1000})
 * @param quantity the quantity this step prices
 * @param unitPrice the price per unit of the step
 * @param flat the fixed part of the step (a tier's flat fee, a package count times its price)
 * @param amount {@code quantity × unitPrice + flat}, exact
 */
record RatingStep(String label, BigDecimal quantity, BigDecimal unitPrice, BigDecimal flat, BigDecimal amount) {
  public RatingStep {
    requireNonNull(label, "label is null");
    requireNonNull(quantity, "quantity is null");
    requireNonNull(unitPrice, "unitPrice is null");
    requireNonNull(flat, "flat is null");
    requireNonNull(amount, "amount is null");
  }

  /** A step whose amount is quantity × unit price + flat. */
  public static RatingStep of(String label, BigDecimal quantity, BigDecimal unitPrice, BigDecimal flat) {
    return new RatingStep(label, quantity, unitPrice, flat, quantity.multiply(unitPrice).add(flat));
  }

  /** The arithmetic in one line, such as {@code 1000 × 0.002 + 5 = 7}. */
  public String arithmetic() {
    StringBuilder sb = new StringBuilder();
    if (unitPrice.signum() != 0 || flat.signum() == 0) {
      sb.append(Decimals.plain(quantity)).append(" × ").append(Decimals.plain(unitPrice));
    }
    if (flat.signum() != 0) {
      sb.append(sb.length() > 0 ? " + " : "").append(Decimals.plain(flat));
    }
    return sb.append(" = ").append(Decimals.plain(amount)).toString();
  }
}
