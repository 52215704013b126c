package dev.tally.core.cost;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Optional;

/**
 * One day of a series judged against the model learned from the days before it.
 *
 * @param day the day
 * @param actual what was spent
 * @param expected what the model expected ({@value SeasonalTrendModel#ESTIMATE_SCALE} places, half-even)
 * @param lower the band's lower edge
 * @param upper the band's upper edge
 * @param impact {@code actual − expected}
 * @param impactPercent the impact in percent of {@code |expected|}; empty when nothing was expected
 * @param score {@code |impact| / σ} (the prediction's spread), 2 places, capped at {@value AnomalyDetector#MAX_SCORE}
 * @param anomaly whether the day is outside the band and above both thresholds
 */
public record Assessment(LocalDate day, BigDecimal actual, BigDecimal expected, BigDecimal lower, BigDecimal upper,
    BigDecimal impact, Optional<BigDecimal> impactPercent, BigDecimal score, boolean anomaly) {
  public Assessment {
    requireNonNull(day, "day is null");
    requireNonNull(actual, "actual is null");
    requireNonNull(expected, "expected is null");
    requireNonNull(lower, "lower is null");
    requireNonNull(upper, "upper is null");
    requireNonNull(impact, "impact is null");
    requireNonNull(impactPercent, "impactPercent is null");
    requireNonNull(score, "score is null");
    if (lower.compareTo(upper) > 0) {
      throw new IllegalArgumentException("band lower " + lower + " is above upper " + upper);
    }
  }
}
