package dev.tally.core.format;

import java.math.BigDecimal;

/** How exact decimals are shown: plain notation, no trailing zeros ({@code 12.5}, not {@code 1.25E+1} or {@code 12.500}). */
public final class Decimals {
  private Decimals() {}

  public static BigDecimal normalise(BigDecimal v) {
    BigDecimal s = v.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }

  public static String plain(BigDecimal v) {
    return normalise(v).toPlainString();
  }
}
