package dev.tally.store.cost;

import java.util.Locale;

/** The kinds of cost file Tally imports; every kind is mapped to FOCUS columns on the way in. */
public enum CostFormat {
  /** A FOCUS 1.0, 1.1 or 1.2 cost and usage file. */
  FOCUS,
  /**
   * An Azure Cost Management export (EA, MCA, or pay-as-you-go usage details), actual or amortized cost: which one is
   * recognised by its rows (see {@link CostBasis#AMORTIZED}).
   */
  AZURE,
  /** An Azure export said to be of actual cost. */
  AZURE_ACTUAL,
  /** An Azure export said to be of amortized cost. */
  AZURE_AMORTIZED,
  /** An AWS Cost and Usage Report (legacy CUR or CUR 2.0). */
  AWS,
  /** A Google Cloud billing export (BigQuery's standard or detailed usage cost), as JSON or flattened CSV. */
  GOOGLE,
  /** An Oracle Cloud Infrastructure cost report (the proprietary CSV; OCI's FOCUS reports import as FOCUS). */
  ORACLE;

  /** The names {@link #parse} takes, for messages and help. */
  public static final String NAMES = "focus, azure, azure-actual, azure-amortized, aws, google or oracle";

  /** Parses a {@link #label()} ({@code focus}, {@code azure-amortized}...), any case, {@code _} for {@code -}. */
  public static CostFormat parse(String s) {
    try {
      return valueOf(s.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("must be " + NAMES, e);
    }
  }

  /** The format for people: "FOCUS", "an AWS Cost and Usage Report"... */
  public String describe() {
    return switch (this) {
      case FOCUS -> "FOCUS";
      case AZURE -> "an Azure cost export";
      case AZURE_ACTUAL -> "an Azure actual-cost export";
      case AZURE_AMORTIZED -> "an Azure amortized-cost export";
      case AWS -> "an AWS Cost and Usage Report";
      case GOOGLE -> "a Google Cloud billing export";
      case ORACLE -> "an Oracle Cloud cost report";
    };
  }

  /** The name as the command line writes it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
