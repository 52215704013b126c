package dev.tally.store.cost;

import static java.util.Objects.requireNonNull;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.cost.ChargeScope;
import dev.tally.core.cost.Horizon;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A budget: an amount per month, quarter or year for the charges in a scope, and the thresholds (percent of the
 * amount, on actual spend or on the forecast) whose crossing raises an alert.
 *
 * @param name the budget's name, unique per tenant
 * @param period monthly, quarterly or yearly (as the month, quarter or year {@link Horizon})
 * @param amount the budget per period, in the charges' billing currency
 * @param charges which charge categories count (all by default: a consulting purchase spends the budget too)
 * @param filters the scope: conditions every counted charge meets
 * @param thresholds when to alert
 */
public record Budget(String name, Horizon period, BigDecimal amount, ChargeScope charges, List<CostFilter> filters,
    List<Threshold> thresholds) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  public Budget {
    requireNonNull(name, "name is null");
    requireNonNull(period, "period is null");
    requireNonNull(amount, "amount is null");
    requireNonNull(charges, "charges is null");
    filters = List.copyOf(filters);
    thresholds = List.copyOf(thresholds);
    if (!NAME.matcher(name).matches()) {
      throw TallyException.invalid(Problem.of("name", "must be 1-64 letters, digits, '_', '.' or '-'", name));
    }
    if (amount.signum() <= 0) {
      throw TallyException.invalid(Problem.of("amount", "must be positive", amount.toPlainString()));
    }
    // Stored as DECIMAL(38,12), like cost amounts: 26 integer digits and 12 decimals, kept exactly or refused.
    BigDecimal plain = amount.stripTrailingZeros();
    if (plain.scale() > 12 || plain.precision() - plain.scale() > 26) {
      throw TallyException.invalid(Problem.of("amount", "must have at most 26 integer digits and 12 decimals "
          + "(it is kept exactly, never rounded)", amount.toString()));
    }
    if (thresholds.isEmpty()) {
      throw TallyException.invalid(Problem.of("threshold", "a budget needs at least one threshold"));
    }
  }

  /** Whether a threshold is compared with what was spent or with the forecast of the period. */
  public enum Basis {
    ACTUAL,
    FORECAST
  }

  /**
   * A threshold: alert when spend (actual or forecast) reaches {@code percent} of the budget.
   *
   * @param percent percent of the amount, e.g. 80
   * @param basis actual or forecast
   */
  public record Threshold(BigDecimal percent, Basis basis) {
    public Threshold {
      requireNonNull(percent, "percent is null");
      requireNonNull(basis, "basis is null");
      if (percent.signum() <= 0) {
        throw TallyException.invalid(Problem.of("threshold", "must be a positive percent", percent.toPlainString()));
      }
    }

    /** Parses {@code 80} (actual) or {@code 100:forecast}. */
    public static Threshold parse(String text) {
      String[] parts = text.strip().split(":", 2);
      Basis basis = Basis.ACTUAL;
      if (parts.length == 2) {
        try {
          basis = Basis.valueOf(parts[1].strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw TallyException.invalid(Problem.of("threshold", "basis must be actual or forecast", text));
        }
      }
      try {
        return new Threshold(new BigDecimal(parts[0].strip()), basis);
      } catch (NumberFormatException e) {
        throw TallyException.invalid(Problem.of("threshold", "must be PERCENT or PERCENT:forecast, e.g. 80 or "
            + "100:forecast", text));
      }
    }

    @Override
    public String toString() {
      return percent.stripTrailingZeros().toPlainString() + "%" + (basis == Basis.FORECAST ? " of forecast" : "");
    }
  }

  /** The thresholds 50%, 80%, 100% on actual spend and 100% on the forecast. */
  public static List<Threshold> defaultThresholds() {
    return List.of(new Threshold(BigDecimal.valueOf(50), Basis.ACTUAL), new Threshold(BigDecimal.valueOf(80),
        Basis.ACTUAL), new Threshold(BigDecimal.valueOf(100), Basis.ACTUAL), new Threshold(BigDecimal.valueOf(100),
        Basis.FORECAST));
  }

  /** Parses {@code monthly}, {@code quarterly} or {@code yearly}. */
  public static Horizon period(String text) {
    return switch (text == null ? "" : text.strip().toLowerCase(Locale.ROOT)) {
      case "monthly", "month" -> Horizon.MONTH;
      case "quarterly", "quarter" -> Horizon.QUARTER;
      case "yearly", "year", "annual" -> Horizon.YEAR;
      default -> throw TallyException.invalid(Problem.of("period", "must be monthly, quarterly or yearly", text));
    };
  }

  /** The period's name as flags write it. */
  public static String periodLabel(Horizon h) {
    return switch (h) {
      case MONTH -> "monthly";
      case QUARTER -> "quarterly";
      case YEAR -> "yearly";
    };
  }
}
