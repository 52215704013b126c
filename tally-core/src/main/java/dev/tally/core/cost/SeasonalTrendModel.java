package dev.tally.core.cost;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The model behind anomalies and forecasts: a straight-line trend times a weekly pattern, fitted to the days before
 * the day being judged.
 *
 * <p>Why this model. Cloud spending has two regular movements: it drifts (a workload grows, a project winds down) and
 * it repeats weekly (batch jobs on weekdays, quiet weekends). A trend line and one factor per weekday capture both
 * with 9 numbers, are fitted by least squares in a fixed number of steps (no random start: the same answer every
 * run), and can be explained in one sentence next to a figure. Heavier models (ARIMA, Prophet) need more history than
 * a new account has and answer "why was this flagged" less plainly.
 *
 * <p>The fit, over the last {@code window} days of history (default 56, eight weeks):
 * <ol>
 *   <li>with 14 days or more, the window is cut to whole weeks so every weekday counts equally, and the expected
 *       value is {@code (a + b·t) × f(weekday)}: a least-squares line times seven weekday factors averaging one,
 *       found by classical decomposition (factors as each weekday's ratio to the line, the line refitted through the
 *       values with the factors divided out, twice). Factors, not offsets, because a weekend that costs 60% of a
 *       weekday keeps costing 60% as the account grows; if the line is not positive on some weekday the factors stay
 *       one (a ratio to a non-positive line means nothing) and the model is the line alone;
 *   <li>with fewer than 14 days (but at least 2) the factors are all one: one week cannot tell a pattern from
 *       noise;
 *   <li>the spread {@code σ} is the residuals' standard deviation with the fitted parameters' degrees of freedom
 *       removed, floored at 1% of the window's mean absolute value so that a perfectly regular history does not make
 *       every cent of change "infinitely" abnormal; a prediction's spread ({@link #predictionSigma}) adds the error of
 *       the estimates themselves (a prediction interval, not a fit interval).
 * </ol>
 *
 * <p>Arithmetic is exact decimal where it can be (sums) and {@link MathContext#DECIMAL64} (16 significant digits)
 * where it divides or takes a square root; money never passes through {@code double}.
 *
 * @param origin the day with index 0 in the fitted line
 * @param level the line's value at the origin
 * @param slope the line's change per day
 * @param weekly factors by ISO day of week, Monday at index 0, averaging one (all one without a weekly pattern)
 * @param sigma the spread of the history around the fit
 * @param days how many days of history the fit used
 */
public record SeasonalTrendModel(LocalDate origin, BigDecimal level, BigDecimal slope, List<BigDecimal> weekly,
    BigDecimal sigma, int days) {
  /** Days of history from which the weekly pattern is fitted. */
  public static final int MIN_SEASONAL_DAYS = 14;
  /** The default training window. */
  public static final int DEFAULT_WINDOW = 56;

  // 16 significant digits: far finer than any estimate's own uncertainty, and short enough for BigDecimal's fast
  // paths (it is three times faster than DECIMAL128 here).
  static final MathContext MC = MathContext.DECIMAL64;
  /** Rounds of decomposition; each refines the factors against a less biased line. */
  static final int ROUNDS = 2;
  private static final BigDecimal FLOOR_FRACTION = new BigDecimal("0.01");

  public SeasonalTrendModel {
    requireNonNull(origin, "origin is null");
    requireNonNull(level, "level is null");
    requireNonNull(slope, "slope is null");
    weekly = List.copyOf(weekly);
    requireNonNull(sigma, "sigma is null");
    if (weekly.size() != 7) {
      throw new IllegalArgumentException("weekly must have 7 factors, has " + weekly.size());
    }
    if (sigma.signum() < 0) {
      throw new IllegalArgumentException("sigma must not be negative, is " + sigma);
    }
    if (days < 2) {
      throw new IllegalArgumentException("a model needs at least 2 days of history, has " + days);
    }
  }

  /**
   * Fits the model to the last {@code window} values of {@code history}, whose first value is the amount of day
   * {@code first}.
   */
  public static SeasonalTrendModel fit(LocalDate first, List<BigDecimal> history, int window) {
    requireNonNull(first, "first is null");
    if (window < 2) {
      throw new IllegalArgumentException("window must be at least 2 days, is " + window);
    }
    int n = Math.min(history.size(), window);
    if (n >= MIN_SEASONAL_DAYS) {
      n -= n % 7;
    }
    if (n < 2) {
      throw new IllegalArgumentException("a model needs at least 2 days of history, has " + history.size());
    }
    // Stored money has 12 places; dropping trailing zeros (exactly) keeps most values in BigDecimal's long fast path.
    List<BigDecimal> y = history.subList(history.size() - n, history.size()).stream()
        .map(BigDecimal::stripTrailingZeros).toList();
    LocalDate origin = first.plusDays(history.size() - n);

    BigDecimal sumAbs = BigDecimal.ZERO;
    for (BigDecimal v : y) {
      sumAbs = sumAbs.add(v.abs());
    }
    boolean seasonal = n >= MIN_SEASONAL_DAYS;
    BigDecimal[] weekly = ones();
    BigDecimal[] line = line(y, weekly);
    if (seasonal) {
      // Two rounds of classical decomposition: weekday factors as each weekday's ratio to the line, then the line
      // through the values with the factors divided out. A plain line through seasonal data is biased when the quiet
      // days all fall at the end of each week; the second round removes most of that bias.
      for (int round = 0; round < ROUNDS; round++) {
        Optional<BigDecimal[]> factors = factors(origin, y, line);
        if (factors.isEmpty()) {
          break;
        }
        weekly = factors.get();
        line = line(deseasonalised(origin, y, weekly), weekly);
      }
      Optional<BigDecimal[]> last = factors(origin, y, line);
      if (last.isPresent()) {
        weekly = last.get();
      }
    }
    SeasonalTrendModel shape = new SeasonalTrendModel(origin, line[0], line[1], List.of(weekly), BigDecimal.ZERO, n);

    BigDecimal sse = BigDecimal.ZERO;
    for (int t = 0; t < n; t++) {
      BigDecimal r = y.get(t).subtract(shape.expected(origin.plusDays(t)), MC);
      sse = sse.add(r.multiply(r, MC), MC);
    }
    // 2 parameters for the line, 6 free weekday factors (the 7th is fixed by their mean of one).
    int dof = n - 2 - (seasonal ? 6 : 0);
    BigDecimal sigma = dof > 0 ? sse.divide(BigDecimal.valueOf(dof), MC).sqrt(MC) : BigDecimal.ZERO;
    BigDecimal floor = sumAbs.divide(BigDecimal.valueOf(n), MC).multiply(FLOOR_FRACTION, MC);
    return new SeasonalTrendModel(origin, line[0], line[1], List.of(weekly), sigma.max(floor), n);
  }

  /**
   * The spread of a prediction for {@code day}: a new day's error is its own noise plus the error of the estimates it
   * is predicted from, so {@code σ·√(1 + 1/n + 1/weeks + (t − t̄)²/Σ(t − t̄)²)}: the level (from {@code n} days), its
   * weekday's factor (from one day a week), and the slope extrapolated {@code t − t̄} days from the window's middle.
   * Without this the band is too narrow for young series, whose parameters partly fit the noise of a few weeks.
   */
  public BigDecimal predictionSigma(LocalDate day) {
    BigDecimal t = BigDecimal.valueOf(ChronoUnit.DAYS.between(origin, day));
    BigDecimal meanT = BigDecimal.valueOf(days - 1L).divide(BigDecimal.valueOf(2), MC);
    // Σ(t − t̄)² over t = 0..n-1 is n(n² − 1)/12.
    BigDecimal sxx = BigDecimal.valueOf((long) days * ((long) days * days - 1)).divide(BigDecimal.valueOf(12), MC);
    BigDecimal dt = t.subtract(meanT, MC);
    BigDecimal factor = BigDecimal.ONE.add(BigDecimal.ONE.divide(BigDecimal.valueOf(days), MC), MC)
        .add(dt.multiply(dt, MC).divide(sxx, MC), MC);
    if (weekly.stream().anyMatch(f -> f.compareTo(BigDecimal.ONE) != 0)) {
      factor = factor.add(BigDecimal.ONE.divide(BigDecimal.valueOf(Math.max(1, days / 7)), MC), MC);
    }
    return sigma.multiply(factor.sqrt(MC), MC);
  }

  /** The least-squares line {level, slope} through the values, skipping days whose weekday factor is zero. */
  private static BigDecimal[] line(List<BigDecimal> y, BigDecimal[] weekly) {
    BigDecimal sumT = BigDecimal.ZERO;
    BigDecimal sumY = BigDecimal.ZERO;
    int count = 0;
    for (int t = 0; t < y.size(); t++) {
      if (y.get(t) != null) {
        sumT = sumT.add(BigDecimal.valueOf(t));
        sumY = sumY.add(y.get(t));
        count++;
      }
    }
    if (count < 2) {
      return new BigDecimal[] {count == 0 ? BigDecimal.ZERO : sumY, BigDecimal.ZERO};
    }
    BigDecimal meanT = sumT.divide(BigDecimal.valueOf(count), MC);
    BigDecimal meanY = sumY.divide(BigDecimal.valueOf(count), MC);
    BigDecimal sxy = BigDecimal.ZERO;
    BigDecimal sxx = BigDecimal.ZERO;
    for (int t = 0; t < y.size(); t++) {
      if (y.get(t) != null) {
        BigDecimal dt = BigDecimal.valueOf(t).subtract(meanT, MC);
        sxy = sxy.add(dt.multiply(y.get(t).subtract(meanY, MC), MC), MC);
        sxx = sxx.add(dt.multiply(dt, MC), MC);
      }
    }
    BigDecimal slope = sxx.signum() == 0 ? BigDecimal.ZERO : sxy.divide(sxx, MC);
    return new BigDecimal[] {meanY.subtract(slope.multiply(meanT, MC), MC), slope};
  }

  /**
   * Each weekday's factor: the sum of its values over the sum of the line on its days, scaled so the seven average
   * one. Empty when the line is not positive on some weekday (a ratio to it would mean nothing), in which case the
   * model keeps the factors it has.
   */
  private static Optional<BigDecimal[]> factors(LocalDate origin, List<BigDecimal> y, BigDecimal[] line) {
    BigDecimal[] values = zeros(7);
    BigDecimal[] fitted = zeros(7);
    for (int t = 0; t < y.size(); t++) {
      int d = weekday(origin, t);
      values[d] = values[d].add(y.get(t));
      fitted[d] = fitted[d].add(line[0].add(line[1].multiply(BigDecimal.valueOf(t), MC), MC), MC);
    }
    BigDecimal[] f = new BigDecimal[7];
    BigDecimal sum = BigDecimal.ZERO;
    for (int d = 0; d < 7; d++) {
      if (fitted[d].signum() <= 0 || values[d].signum() < 0) {
        return Optional.empty();
      }
      f[d] = values[d].divide(fitted[d], MC);
      sum = sum.add(f[d], MC);
    }
    if (sum.signum() == 0) {
      return Optional.empty();
    }
    for (int d = 0; d < 7; d++) {
      f[d] = f[d].multiply(BigDecimal.valueOf(7), MC).divide(sum, MC);
    }
    return Optional.of(f);
  }

  /** The values divided by their weekday's factor; null where the factor is zero (it says nothing of the line). */
  private static List<BigDecimal> deseasonalised(LocalDate origin, List<BigDecimal> y, BigDecimal[] weekly) {
    List<BigDecimal> out = new ArrayList<>(y.size());
    for (int t = 0; t < y.size(); t++) {
      BigDecimal f = weekly[weekday(origin, t)];
      out.add(f.signum() == 0 ? null : y.get(t).divide(f, MC));
    }
    return out;
  }

  private static int weekday(LocalDate origin, int t) {
    return origin.plusDays(t).getDayOfWeek().getValue() - 1;
  }

  private static BigDecimal[] ones() {
    BigDecimal[] a = new BigDecimal[7];
    java.util.Arrays.fill(a, BigDecimal.ONE);
    return a;
  }

  private static BigDecimal[] zeros(int size) {
    BigDecimal[] a = new BigDecimal[size];
    java.util.Arrays.fill(a, BigDecimal.ZERO);
    return a;
  }

  /** The model's expected amount for a day (any day, before or after the history). */
  public BigDecimal expected(LocalDate day) {
    long t = ChronoUnit.DAYS.between(origin, day);
    BigDecimal trend = level.add(slope.multiply(BigDecimal.valueOf(t), MC), MC);
    return trend.multiply(weekly.get(day.getDayOfWeek().getValue() - 1), MC);
  }

  /** Decimal places of the money figures the model produces, the store's money scale. */
  public static final int MONEY_SCALE = 12;

  /** A value rounded to the money scale of the store (12 places, half-even). */
  static BigDecimal money(BigDecimal v) {
    return v.setScale(MONEY_SCALE, RoundingMode.HALF_EVEN);
  }
}
