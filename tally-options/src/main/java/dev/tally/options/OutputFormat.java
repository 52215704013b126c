package dev.tally.options;

import dev.tally.core.format.UsageFormats;
import java.util.Locale;

/**
 * Every way a command prints its answer. Each command takes some of them, as its {@link FormatOption} says; most take
 * json, csv and table.
 */
public enum OutputFormat {
  JSON,
  CSV,
  TABLE,
  /** The declarations as a YAML file ({@code tally meters list}). */
  YAML,
  /** Lines for people where there is no table ({@code tally export parquet}). */
  TEXT,
  /** FOCUS 1.0 cost rows, as CSV ({@code tally invoice export}). */
  FOCUS;

  /** As people type it: {@code json}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The same format for core's renderers of usage results and report tables, which print json, csv and table. */
  public UsageFormats.Format usage() {
    return switch (this) {
      case JSON -> UsageFormats.Format.JSON;
      case CSV -> UsageFormats.Format.CSV;
      case TABLE -> UsageFormats.Format.TABLE;
      // Only a command whose FormatOption accepts these can be given them, and none of those renders with core.
      case YAML, TEXT, FOCUS -> throw new IllegalStateException(this + " is not a usage format");
    };
  }
}
