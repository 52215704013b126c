package dev.tally.core.pricing;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Locale;

/**
 * Currency rules for invoices: which currencies are accepted, how many minor units each has, and the one rounding
 * rule Tally applies.
 *
 * <p>Rounding point: every amount is computed exactly (unbounded {@link BigDecimal}) and rounded once, when it
 * becomes an invoice line, to the currency's minor unit with {@link RoundingMode#HALF_UP} (0.125 USD becomes 0.13):
 * the rule most tax authorities prescribe and the one a customer checking with a calculator expects. Totals are sums
 * of rounded lines, so they add up to the cent by construction.
 */
public final class Money {
  /** The rounding rule of invoice lines. */
  public static final RoundingMode ROUNDING = RoundingMode.HALF_UP;

  private Money() {}

  /**
   * Validates an ISO 4217 currency code and returns it upper-cased.
   *
   * @throws IllegalArgumentException when the code is unknown or has no minor unit (such as gold, XAU)
   */
  public static String currency(String code) {
    requireNonNull(code, "currency is null");
    String upper = code.trim().toUpperCase(Locale.ROOT);
    Currency c;
    try {
      c = Currency.getInstance(upper);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("is not an ISO 4217 currency code such as USD or EUR", e);
    }
    if (c.getDefaultFractionDigits() < 0) {
      throw new IllegalArgumentException("has no minor unit, so it cannot be invoiced");
    }
    return upper;
  }

  /** Digits after the decimal point of the currency's minor unit (2 for USD, 0 for JPY, 3 for KWD). */
  public static int minorUnits(String currency) {
    return Currency.getInstance(currency).getDefaultFractionDigits();
  }

  /** An exact amount rounded to the currency's minor unit by {@link #ROUNDING}. */
  public static BigDecimal round(BigDecimal exact, String currency) {
    return exact.setScale(minorUnits(currency), ROUNDING);
  }

  /** Zero with the currency's scale. */
  public static BigDecimal zero(String currency) {
    return BigDecimal.ZERO.setScale(minorUnits(currency));
  }
}
