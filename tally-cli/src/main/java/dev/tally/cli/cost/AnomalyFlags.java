package dev.tally.cli.cost;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.cost.AnomalySettings;
import java.math.BigDecimal;

/** The anomaly thresholds as flags give them ({@code report anomalies}, {@code alerts check}, {@code serve}). */
public final class AnomalyFlags {
  private AnomalyFlags() {}

  /**
   * The default settings with these thresholds.
   *
   * @param flags the two flags, as the problem names them: {@code --min-impact/--min-percent}
   */
  public static AnomalySettings settings(BigDecimal minImpact, BigDecimal minPercent, String flags) {
    try {
      return AnomalySettings.defaults().withThresholds(minImpact, minPercent);
    } catch (IllegalArgumentException e) {
      throw TallyException.invalid(Problem.of(flags, e.getMessage()));
    }
  }
}
