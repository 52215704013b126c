package dev.tally.core.cost;

import static java.util.Objects.requireNonNull;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Forecasts a period's total with the {@link SeasonalTrendModel} fitted to the history before the "as of" day.
 *
 * <p>Each remaining day is predicted by the trend times its weekday's factor, floored at zero (a usage cost does not go
 * negative). The 80% interval is {@code ± 1.2816 · σ · √h} for {@code h} remaining days: the daily errors are taken as
 * independent, and the uncertainty of the trend itself is left out, so the interval is honest for short horizons and
 * optimistic for long ones; that is why a horizon much longer than the history is refused rather than guessed.
 *
 * <p>Refused (with the reason) when the history, counted from the first non-zero day, is shorter than
 * {@value #MIN_HISTORY_DAYS} days (two weeks are needed to see the weekly pattern), or when the days to forecast are
 * more than {@value #MAX_HORIZON_RATIO} times the days of history.
 */
public final class Forecaster {
  /** Fewest days of history a forecast is made from. */
  public static final int MIN_HISTORY_DAYS = 14;
  /** Most days forecast per day of history. */
  public static final int MAX_HORIZON_RATIO = 3;

  private static final double Z80 = 1.2816;

  private Forecaster() {}

  /**
   * Why a forecast cannot be made, if it cannot.
   *
   * @param first the day of {@code values.get(0)}
   * @param values daily amounts up to the day before {@code asOf}
   */
  static Optional<String> refusal(LocalDate first, List<BigDecimal> values, LocalDate asOf, Horizon horizon) {
    if (!first.plusDays(values.size()).equals(asOf)) {
      throw new IllegalArgumentException("values must run from " + first + " to the day before " + asOf + ", but end "
          + first.plusDays(values.size() - 1L));
    }
    int history = historyDays(values);
    if (history < MIN_HISTORY_DAYS) {
      return Optional.of("a forecast needs at least " + MIN_HISTORY_DAYS + " days of history before " + asOf
          + " (from the first day with a charge); there " + (history == 1 ? "is 1" : "are " + history));
    }
    long remaining = ChronoUnit.DAYS.between(asOf, horizon.containing(asOf).end());
    if (remaining > (long) MAX_HORIZON_RATIO * history) {
      return Optional.of("forecasting " + remaining + " days to the end of the " + horizon.name().toLowerCase()
          + " from " + history + " days of history is more than " + MAX_HORIZON_RATIO
          + " times the history; use a shorter horizon or wait for more data");
    }
    return Optional.empty();
  }

  /**
   * Forecasts the month, quarter or year containing {@code asOf}.
   *
   * @throws TallyException (invalid input, field {@code history}) with the reason when {@link #refusal} gives one
   */
  public static Forecast forecast(LocalDate first, List<BigDecimal> values, LocalDate asOf, Horizon horizon) {
    requireNonNull(horizon, "horizon is null");
    refusal(first, values, asOf, horizon).ifPresent(reason -> {
      throw TallyException.invalid("cannot forecast the " + horizon.name().toLowerCase(java.util.Locale.ROOT)
          + " from " + asOf, List.of(Problem.of("history", reason)));
    });
    CostPeriod period = horizon.containing(asOf);
    int history = historyDays(values);
    List<BigDecimal> trained = values.subList(values.size() - history, values.size());
    SeasonalTrendModel model =
        SeasonalTrendModel.fit(asOf.minusDays(history), trained, SeasonalTrendModel.DEFAULT_WINDOW);
    BigDecimal actual = BigDecimal.ZERO;
    for (int i = 0; i < values.size(); i++) {
      if (period.contains(first.plusDays(i))) {
        actual = actual.add(values.get(i));
      }
    }
    double expectedRest = 0;
    long h = 0;
    for (LocalDate d = asOf; d.isBefore(period.end()); d = d.plusDays(1)) {
      expectedRest += Math.max(0, model.expected(d));
      h++;
    }
    BigDecimal remaining = SeasonalTrendModel.estimate(expectedRest);
    BigDecimal total = actual.add(remaining);
    BigDecimal half = SeasonalTrendModel.estimate(Z80 * model.sigma() * Math.sqrt(h));
    // The lower edge cannot be below what is already spent plus nothing more.
    BigDecimal lower = total.subtract(half).max(actual.min(total));
    return new Forecast(period, asOf, actual, remaining, total, lower, total.add(half), history);
  }

  /** Days from the first non-zero value to the end. */
  private static int historyDays(List<BigDecimal> values) {
    int start = 0;
    while (start < values.size() && values.get(start).signum() == 0) {
      start++;
    }
    return values.size() - start;
  }
}
