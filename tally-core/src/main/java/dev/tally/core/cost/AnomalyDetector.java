package dev.tally.core.cost;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges each day of a daily series against a {@link SeasonalTrendModel} fitted only to the days before it, so a day
 * is never compared with a model that already saw it (as a live detector would be).
 *
 * <p>A series is judged from {@code minHistoryDays} after its first non-zero day: leading zeros are not history (a
 * service that did not exist yet says nothing about what it should cost). A day is an anomaly when its actual lies
 * outside {@code expected ± band·σ} (σ of the prediction, see {@link SeasonalTrendModel#predictionSigma}) and its
 * impact passes both thresholds. An anomalous day's value is replaced by its expected value in the history used for
 * later days, so one spike neither widens the band nor bends the trend for the weeks after it. A shift that lasts is
 * not a spike: once more than {@value #MAX_CLEANED_RUN} days in a row are off the same way, their actual values go
 * back into the history and the model learns the new level.
 */
public final class AnomalyDetector {
  /** Consecutive anomalies, off the same way, that are cleaned from history before they count as a new level. */
  public static final int MAX_CLEANED_RUN = 3;

  /** The largest score reported (a zero-spread history would otherwise give infinite scores). */
  public static final int MAX_SCORE = 100;

  private AnomalyDetector() {}

  /**
   * Judges the days of a series.
   *
   * @param first the day of {@code values.get(0)}
   * @param values one amount per consecutive day (zero for a day without charges)
   * @return one assessment per judged day, in order
   */
  public static List<Assessment> assess(LocalDate first, List<BigDecimal> values, AnomalySettings settings) {
    requireNonNull(first, "first is null");
    requireNonNull(settings, "settings is null");
    int start = 0;
    while (start < values.size() && values.get(start).signum() == 0) {
      start++;
    }
    List<Assessment> out = new ArrayList<>();
    List<BigDecimal> actual = values.subList(start, values.size());
    // The model reads doubles (see SeasonalTrendModel); the actual amounts stay exact for judging and reporting.
    double[] history = new double[actual.size()];
    for (int i = 0; i < history.length; i++) {
      history[i] = actual.get(i).doubleValue();
    }
    LocalDate seriesFirst = first.plusDays(start);
    int run = 0;
    int runSign = 0;
    for (int i = settings.minHistoryDays(); i < history.length; i++) {
      SeasonalTrendModel model = SeasonalTrendModel.fit(seriesFirst, history, i, settings.windowDays());
      LocalDate day = seriesFirst.plusDays(i);
      Assessment a = judge(day, actual.get(i), model, settings);
      out.add(a);
      if (!a.anomaly()) {
        run = 0;
        runSign = 0;
        continue;
      }
      int sign = a.impact().signum();
      run = sign == runSign ? run + 1 : 1;
      runSign = sign;
      if (run <= MAX_CLEANED_RUN) {
        history[i] = model.expected(day);
      } else if (run == MAX_CLEANED_RUN + 1) {
        // The same way off for this many days running is a new level, not a spike: let the model learn it.
        for (int j = i - MAX_CLEANED_RUN; j < i; j++) {
          history[j] = actual.get(j).doubleValue();
        }
      }
    }
    return out;
  }

  static Assessment judge(LocalDate day, BigDecimal actual, SeasonalTrendModel model, AnomalySettings settings) {
    BigDecimal expected = SeasonalTrendModel.estimate(model.expected(day));
    double sigma = model.predictionSigma(day);
    BigDecimal halfWidth = SeasonalTrendModel.estimate(sigma * settings.band().doubleValue());
    BigDecimal lower = expected.subtract(halfWidth);
    BigDecimal upper = expected.add(halfWidth);
    BigDecimal impact = actual.subtract(expected);
    double score = sigma == 0
        ? (impact.signum() == 0 ? 0 : MAX_SCORE)
        : Math.min(Math.abs(impact.doubleValue()) / sigma, MAX_SCORE);
    var percent = Percentages.change(expected, actual);
    boolean outside = actual.compareTo(lower) < 0 || actual.compareTo(upper) > 0;
    boolean bigEnough = impact.abs().compareTo(settings.minImpact()) >= 0
        && percent.map(p -> p.abs().compareTo(settings.minImpactPercent()) >= 0).orElse(true);
    return new Assessment(day, actual, expected, lower, upper, impact, percent,
        // Hundredths, half up (the score is never negative, so Math.round is half-up).
        BigDecimal.valueOf(Math.round(score * 100), 2), outside && bigEnough);
  }
}
