package dev.tally.options;

import dev.tally.core.cost.CostPeriod;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The flags and help of each report that {@code tally report} and {@code tally-spark report} both run (totals,
 * growth, series, peaks), declared once so that the two keep one contract. Each engine's command mixes in one and
 * runs the report its own way.
 */
public final class ReportFlagSets {
  public static final String TOTALS = "Cost by a column with each group's share; top N and others; non-usage charges "
      + "apart.";
  public static final String GROWTH = "Per group: cost in a base and a compare period, the change and the percent "
      + "change.";
  public static final String SERIES = "Cost per day, ISO week or month in a zone, optionally per value of a column.";
  public static final String PEAKS = "The top K periods by cost and the largest jump between consecutive periods.";

  private ReportFlagSets() {}

  /** {@code totals --by COL [--top N]}. */
  public static final class Totals {
    @Option(names = "--by", required = true, paramLabel = "COL", description = "FOCUS column or tag:KEY.")
    String by;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "Groups shown (default: 10).")
    int top;

    public String by() {
      return by;
    }

    public int top() {
      return top;
    }
  }

  /** {@code growth --by COL --base PERIOD --compare PERIOD}. */
  public static final class Growth {
    @Option(names = "--by", required = true, paramLabel = "COL", description = "FOCUS column or tag:KEY.")
    String by;

    @Option(names = "--base", required = true, paramLabel = "PERIOD",
        description = "YYYY-MM, YYYY-Www, YYYY-MM-DD or FROM..TO (TO exclusive).")
    String base;

    @Option(names = "--compare", required = true, paramLabel = "PERIOD", description = "As --base.")
    String compare;

    public String by() {
      return by;
    }

    public CostPeriod base() {
      return CostPeriod.parse("--base", base);
    }

    public CostPeriod compare() {
      return CostPeriod.parse("--compare", compare);
    }
  }

  /** {@code series --window W [--by COL]}. */
  public static final class Series {
    @Option(names = "--window", required = true, paramLabel = "W", description = "day, week or month.")
    String window;

    @Option(names = "--by", paramLabel = "COL", description = "FOCUS column or tag:KEY.")
    String by;

    public String window() {
      return ReportFlags.window(window);
    }

    public Optional<String> by() {
      return Optional.ofNullable(by);
    }
  }

  /** {@code peaks --window W [--top K]}. */
  public static final class Peaks {
    @Option(names = "--window", required = true, paramLabel = "W", description = "day, week or month.")
    String window;

    @Option(names = "--top", paramLabel = "K", defaultValue = "3", description = "Peaks shown (default: 3).")
    int top;

    public String window() {
      return ReportFlags.window(window);
    }

    public int top() {
      return top;
    }
  }
}
