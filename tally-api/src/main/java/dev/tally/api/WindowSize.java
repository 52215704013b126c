package dev.tally.api;

/**
 * The size of the windows a usage query is cut into. DAY and MONTH are true local days and months in the query's
 * time zone (a Paris day can last 23 or 25 hours), unlike OpenMeter whose DAY is always 24 hours.
 */
public enum WindowSize {
  MINUTE,
  HOUR,
  DAY,
  MONTH
}
