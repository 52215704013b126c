package dev.tally.core.cost;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;

/**
 * How anomalies are judged.
 *
 * @param minHistoryDays days of history (counted from a series' first non-zero day) before any day of it is judged;
 *     10 by default, as AWS Cost Anomaly Detection requires
 * @param windowDays days of history the model is fitted to
 * @param band the band's half-width in standard deviations of a prediction; 3 by default (99.7% if errors were
 *     normal: about one false alarm a year per series, before the money and percent thresholds)
 * @param minImpact smallest {@code |actual − expected|}, in money, that is reported
 * @param minImpactPercent smallest {@code |actual − expected| / |expected|}, in percent, that is reported (a day with
 *     nothing expected passes this test)
 */
public record AnomalySettings(int minHistoryDays, int windowDays, BigDecimal band, BigDecimal minImpact,
    BigDecimal minImpactPercent) {
  /** AWS Cost Anomaly Detection's minimum history. */
  public static final int DEFAULT_MIN_HISTORY = 10;
  /** The default band: 3 standard deviations (the "three-sigma rule"). */
  public static final BigDecimal DEFAULT_BAND = new BigDecimal("3");

  public AnomalySettings {
    requireNonNull(band, "band is null");
    requireNonNull(minImpact, "minImpact is null");
    requireNonNull(minImpactPercent, "minImpactPercent is null");
    if (minHistoryDays < 2) {
      throw new IllegalArgumentException("minHistoryDays must be at least 2, is " + minHistoryDays);
    }
    if (windowDays < minHistoryDays) {
      throw new IllegalArgumentException("windowDays " + windowDays + " is less than minHistoryDays " + minHistoryDays);
    }
    if (band.signum() <= 0) {
      throw new IllegalArgumentException("band must be positive, is " + band);
    }
    if (minImpact.signum() < 0) {
      throw new IllegalArgumentException("minImpact must not be negative, is " + minImpact);
    }
    if (minImpactPercent.signum() < 0) {
      throw new IllegalArgumentException("minImpactPercent must not be negative, is " + minImpactPercent);
    }
  }

  /** The defaults, with no money or percent threshold. */
  public static AnomalySettings defaults() {
    return new AnomalySettings(DEFAULT_MIN_HISTORY, SeasonalTrendModel.DEFAULT_WINDOW, DEFAULT_BAND, BigDecimal.ZERO,
        BigDecimal.ZERO);
  }

  /** These settings with thresholds in money and percent. */
  public AnomalySettings withThresholds(BigDecimal impact, BigDecimal percent) {
    return new AnomalySettings(minHistoryDays, windowDays, band, impact, percent);
  }
}
