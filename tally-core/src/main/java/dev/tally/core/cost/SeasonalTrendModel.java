package dev.tally.core.cost;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;

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
 * <p><b>Arithmetic: estimates in {@code double}, money exact.</b> The model's parameters are statistical estimates
 * whose own uncertainty (σ, at least 1% of the level) is many orders of magnitude above the 15-16 significant digits a
 * {@code double} carries, so fitting them in exact decimals buys nothing and cost 40 times the time (1,000 series x
 * 365 days took about 40 s in {@link java.math.MathContext#DECIMAL64}). The amounts themselves never pass through
 * {@code double} on their way to a report: actual spend and every impact ({@code actual − expected}) are exact
 * decimals, and an estimate enters the decimal world once, rounded to {@value #ESTIMATE_SCALE} places by
 * {@link #estimate(double)}. Java's {@code double} arithmetic is the same on every platform (strict IEEE 754 since
 * Java 17), so the same history still gives the same figures everywhere.
 */
public final class SeasonalTrendModel {
  /** Days of history from which the weekly pattern is fitted. */
  public static final int MIN_SEASONAL_DAYS = 14;
  /** The default training window. */
  public static final int DEFAULT_WINDOW = 56;
  /**
   * Decimal places of the model's figures once they are money (expected amounts, band edges, forecasts): a
   * millionth of the currency unit, finer than any price and far finer than the estimates' own uncertainty.
   */
  public static final int ESTIMATE_SCALE = 6;

  /** Rounds of decomposition; each refines the factors against a less biased line. */
  static final int ROUNDS = 2;
  private static final double FLOOR_FRACTION = 0.01;

  private final LocalDate origin;
  private final double level;
  private final double slope;
  private final double[] weekly;
  private final double sigma;
  private final int days;
  private final boolean seasonal;

  /**
   * A model from its parameters.
   *
   * @param origin the day with index 0 in the fitted line
   * @param level the line's value at the origin
   * @param slope the line's change per day
   * @param weekly factors by ISO day of week, Monday at index 0, averaging one (all one without a weekly pattern)
   * @param sigma the spread of the history around the fit
   * @param days how many days of history the fit used
   */
  public SeasonalTrendModel(LocalDate origin, double level, double slope, double[] weekly, double sigma, int days) {
    this.origin = requireNonNull(origin, "origin is null");
    requireNonNull(weekly, "weekly is null");
    if (weekly.length != 7) {
      throw new IllegalArgumentException("weekly must have 7 factors, has " + weekly.length);
    }
    if (!(sigma >= 0) || Double.isInfinite(sigma)) {
      throw new IllegalArgumentException("sigma must be a finite non-negative number, is " + sigma);
    }
    if (days < 2) {
      throw new IllegalArgumentException("a model needs at least 2 days of history, has " + days);
    }
    boolean anyFactor = false;
    for (double f : weekly) {
      if (!Double.isFinite(f)) {
        throw new IllegalArgumentException("the weekly factors must be finite numbers, are " + Arrays.toString(weekly));
      }
      anyFactor |= f != 1.0;
    }
    if (!Double.isFinite(level) || !Double.isFinite(slope)) {
      throw new IllegalArgumentException("level and slope must be finite numbers, are " + level + " and " + slope);
    }
    this.level = level;
    this.slope = slope;
    this.weekly = weekly.clone();
    this.sigma = sigma;
    this.days = days;
    this.seasonal = anyFactor;
  }

  /**
   * Fits the model to the last {@code window} values of {@code history}, whose first value is the amount of day
   * {@code first}.
   */
  public static SeasonalTrendModel fit(LocalDate first, List<BigDecimal> history, int window) {
    double[] y = new double[history.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = history.get(i).doubleValue();
    }
    return fit(first, y, y.length, window);
  }

  /**
   * Fits the model to the last {@code window} of the values {@code y[0..end)}, {@code y[0]} being the amount of day
   * {@code first}. The array is read, never written; the detector passes one array for every day of a series.
   */
  public static SeasonalTrendModel fit(LocalDate first, double[] y, int end, int window) {
    requireNonNull(first, "first is null");
    if (window < 2) {
      throw new IllegalArgumentException("window must be at least 2 days, is " + window);
    }
    if (end < 0 || end > y.length) {
      throw new IllegalArgumentException("end " + end + " is outside the " + y.length + " values");
    }
    int n = Math.min(end, window);
    if (n >= MIN_SEASONAL_DAYS) {
      n -= n % 7;
    }
    if (n < 2) {
      throw new IllegalArgumentException("a model needs at least 2 days of history, has " + end);
    }
    int start = end - n;
    LocalDate origin = first.plusDays(start);
    WeekdaySums sums = new WeekdaySums(y, start, n, origin.getDayOfWeek().getValue() - 1);
    boolean seasonal = n >= MIN_SEASONAL_DAYS;
    double[] weekly = ones();
    double[] line = sums.line(weekly);
    if (seasonal) {
      // Two rounds of classical decomposition: weekday factors as each weekday's ratio to the line, then the line
      // through the values with the factors divided out. A plain line through seasonal data is biased when the quiet
      // days all fall at the end of each week; the second round removes most of that bias.
      for (int round = 0; round < ROUNDS; round++) {
        double[] factors = sums.factors(line);
        if (factors == null) {
          break;
        }
        weekly = factors;
        line = sums.line(weekly);
      }
      double[] last = sums.factors(line);
      if (last != null) {
        weekly = last;
      }
    }
    // The residuals are summed directly, not from the sums of squares, which would cancel catastrophically when the
    // fit is close.
    double sse = 0;
    for (int t = 0, d = sums.dow0; t < n; t++, d = d == 6 ? 0 : d + 1) {
      double r = y[start + t] - (line[0] + line[1] * t) * weekly[d];
      sse += r * r;
    }
    // 2 parameters for the line, 6 free weekday factors (the 7th is fixed by their mean of one).
    int dof = n - 2 - (seasonal ? 6 : 0);
    double sigma = dof > 0 ? Math.sqrt(sse / dof) : 0;
    double floor = sums.sumAbs / n * FLOOR_FRACTION;
    return new SeasonalTrendModel(origin, line[0], line[1], weekly, Math.max(sigma, floor), n);
  }

  /**
   * The window's sums by weekday (days, Σt, Σt², Σy, Σt·y), taken in one pass. Every line and every set of factors
   * the decomposition needs is a combination of these seven-by-five numbers, so its rounds cost nothing per day: one
   * pass for the sums and one for the residuals, where a day-by-day fit took ten (this is most of the detector's time).
   */
  private static final class WeekdaySums {
    final int dow0;
    final double[] days = new double[7];
    final double[] sumT = new double[7];
    final double[] sumTT = new double[7];
    final double[] sumY = new double[7];
    final double[] sumTY = new double[7];
    double sumAbs;

    WeekdaySums(double[] y, int start, int n, int dow0) {
      this.dow0 = dow0;
      for (int t = 0, d = dow0; t < n; t++, d = d == 6 ? 0 : d + 1) {
        double v = y[start + t];
        days[d]++;
        sumT[d] += t;
        sumTT[d] += (double) t * t;
        sumY[d] += v;
        sumTY[d] += t * v;
        sumAbs += Math.abs(v);
      }
    }

    /**
     * The least-squares line {level, slope} through the values divided by their weekday's factor, leaving out the
     * weekdays whose factor is zero (they say nothing of the line).
     */
    double[] line(double[] weekly) {
      double count = 0;
      double st = 0;
      double stt = 0;
      double sz = 0;
      double stz = 0;
      for (int d = 0; d < 7; d++) {
        if (weekly[d] != 0) {
          double inverse = 1 / weekly[d];
          count += days[d];
          st += sumT[d];
          stt += sumTT[d];
          sz += inverse * sumY[d];
          stz += inverse * sumTY[d];
        }
      }
      if (count < 2) {
        return new double[] {count == 0 ? 0 : sz, 0};
      }
      double meanT = st / count;
      double meanZ = sz / count;
      // Σ(t − t̄)² and Σ(t − t̄)(z − z̄) from the sums; the t are small integers, so the first is exact.
      double sxx = stt - count * meanT * meanT;
      double sxy = stz - count * meanT * meanZ;
      double slope = sxx == 0 ? 0 : sxy / sxx;
      return new double[] {meanZ - slope * meanT, slope};
    }

    /**
     * Each weekday's factor: the sum of its values over the sum of the line on its days, scaled so the seven average
     * one. Null when the line is not positive on some weekday (a ratio to it would mean nothing) or a weekday's values
     * sum below zero (credits), in which case the model keeps the factors it has.
     */
    double[] factors(double[] line) {
      double[] f = new double[7];
      double sum = 0;
      for (int d = 0; d < 7; d++) {
        double fitted = line[0] * days[d] + line[1] * sumT[d];
        if (fitted <= 0 || sumY[d] < 0) {
          return null;
        }
        f[d] = sumY[d] / fitted;
        sum += f[d];
      }
      if (sum == 0) {
        return null;
      }
      for (int d = 0; d < 7; d++) {
        f[d] = f[d] * 7 / sum;
      }
      return f;
    }
  }

  private static double[] ones() {
    double[] a = new double[7];
    Arrays.fill(a, 1.0);
    return a;
  }

  /** The model's expected amount for a day (any day, before or after the history). */
  public double expected(LocalDate day) {
    long t = ChronoUnit.DAYS.between(origin, day);
    return (level + slope * t) * weekly[day.getDayOfWeek().getValue() - 1];
  }

  /**
   * The spread of a prediction for {@code day}: a new day's error is its own noise plus the error of the estimates it
   * is predicted from, so {@code σ·√(1 + 1/n + 1/weeks + (t − t̄)²/Σ(t − t̄)²)}: the level (from {@code n} days), its
   * weekday's factor (from one day a week), and the slope extrapolated {@code t − t̄} days from the window's middle.
   * Without this the band is too narrow for young series, whose parameters partly fit the noise of a few weeks.
   */
  public double predictionSigma(LocalDate day) {
    double t = ChronoUnit.DAYS.between(origin, day);
    double meanT = (days - 1) / 2.0;
    // Σ(t − t̄)² over t = 0..n-1 is n(n² − 1)/12.
    double sxx = (double) days * ((double) days * days - 1) / 12;
    double dt = t - meanT;
    double factor = 1 + 1.0 / days + dt * dt / sxx;
    if (seasonal) {
      factor += 1.0 / Math.max(1, days / 7);
    }
    return sigma * Math.sqrt(factor);
  }

  /** An estimate as money: exact decimal, to the nearest millionth ({@value #ESTIMATE_SCALE} places). */
  public static BigDecimal estimate(double value) {
    if (!Double.isFinite(value)) {
      throw new ArithmeticException("the model produced " + value + "; its history must hold finite amounts");
    }
    double millionths = value * 1e6;
    if (Math.abs(millionths) < 1e15) {
      // The common case, without the decimal conversion of a double (the detector's largest cost before this):
      // below 10^9 units the product is within a few millionths of a millionth of the exact one.
      return BigDecimal.valueOf((long) Math.rint(millionths), ESTIMATE_SCALE);
    }
    return BigDecimal.valueOf(value).setScale(ESTIMATE_SCALE, RoundingMode.HALF_EVEN);
  }

  /** The day with index 0 in the fitted line. */
  public LocalDate origin() {
    return origin;
  }

  /** The line's value at the origin. */
  public double level() {
    return level;
  }

  /** The line's change per day. */
  public double slope() {
    return slope;
  }

  /** The factor of an ISO day of week (1 = Monday ... 7 = Sunday); all one without a weekly pattern. */
  public double weekly(int isoDayOfWeek) {
    if (isoDayOfWeek < 1 || isoDayOfWeek > 7) {
      throw new IllegalArgumentException("day of week must be 1..7, is " + isoDayOfWeek);
    }
    return weekly[isoDayOfWeek - 1];
  }

  /** Whether the model found a weekly pattern (some factor is not one). */
  public boolean seasonal() {
    return seasonal;
  }

  /** The spread of the history around the fit. */
  public double sigma() {
    return sigma;
  }

  /** How many days of history the fit used. */
  public int days() {
    return days;
  }

  @Override
  public String toString() {
    return "SeasonalTrendModel[origin=" + origin + ", level=" + level + ", slope=" + slope + ", weekly="
        + Arrays.toString(weekly) + ", sigma=" + sigma + ", days=" + days + "]";
  }
}
