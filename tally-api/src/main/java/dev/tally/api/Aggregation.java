package dev.tally.api;

/**
 * How a meter turns the values of its events into one figure per window and group.
 *
 * <p>The names and meanings of the first seven follow OpenMeter. The two time-weighted ones are Tally's own, for
 * gauges such as "storage in GB, sampled now and then": each sample's value holds from its time until the next
 * sample of the same series (subject and group values), and the last one holds until the end of the query range
 * (or the query's clock, whichever is earlier). A value before a series' first sample counts as nothing.
 */
public enum Aggregation {
  /** Sum of the values. */
  SUM(true),
  /** Number of events; needs no value. */
  COUNT(false),
  /** Arithmetic mean of the values. */
  AVG(true),
  /** Smallest value. */
  MIN(true),
  /** Largest value. */
  MAX(true),
  /** Number of distinct values; the value is read as a string. */
  UNIQUE_COUNT(true),
  /** The value of the latest event (by time, then by ingestion order). */
  LATEST(true),
  /** Value multiplied by the hours it was held (GB sampled hourly becomes GB-hours). */
  TIME_WEIGHTED_SUM(true),
  /** Time-weighted mean of the value over the part of the window in which the series had a value. */
  TIME_WEIGHTED_AVG(true);

  private final boolean needsValue;

  Aggregation(boolean needsValue) {
    this.needsValue = needsValue;
  }

  /** Whether meters with this aggregation must name a {@code valueProperty}. */
  public boolean needsValue() {
    return needsValue;
  }

  /** Whether the value must be a number (or a numeric string); {@link #UNIQUE_COUNT} takes any string. */
  public boolean numericValue() {
    return needsValue && this != UNIQUE_COUNT;
  }

  /** Whether this aggregation integrates a gauge over time. */
  public boolean timeWeighted() {
    return this == TIME_WEIGHTED_SUM || this == TIME_WEIGHTED_AVG;
  }
}
