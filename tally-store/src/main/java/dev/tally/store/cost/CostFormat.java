package dev.tally.store.cost;

import java.util.Locale;

/** The kinds of cost file Tally imports; every kind is mapped to FOCUS columns on the way in. */
public enum CostFormat {
  /** A FOCUS 1.0, 1.1 or 1.2 cost and usage file. */
  FOCUS,
  /** An Azure Cost Management "actual cost" export (EA or MCA). */
  AZURE,
  /** An AWS Cost and Usage Report (legacy CUR or CUR 2.0). */
  AWS;

  /** Parses {@code focus}, {@code azure} or {@code aws}, any case. */
  public static CostFormat parse(String s) {
    try {
      return valueOf(s.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("format must be focus, azure or aws, was: " + s, e);
    }
  }

  /** The format for people: "FOCUS", "an AWS Cost and Usage Report"... */
  public String describe() {
    return switch (this) {
      case FOCUS -> "FOCUS";
      case AZURE -> "an Azure cost export";
      case AWS -> "an AWS Cost and Usage Report";
    };
  }

  /** The name as the command line writes it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
