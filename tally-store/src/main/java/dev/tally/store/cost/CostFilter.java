package dev.tally.store.cost;

import static java.util.Objects.requireNonNull;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;

/**
 * A filter {@code COLUMN=VALUE}: charges whose column equals the value exactly; an empty value matches charges where
 * the column is null ({@code --filter RegionId=} for charges without a region).
 *
 * @param column the column
 * @param value the value
 */
public record CostFilter(CostColumn column, String value) {
  public CostFilter {
    requireNonNull(column, "column is null");
    requireNonNull(value, "value is null");
  }

  /** Parses {@code COLUMN=VALUE}; {@code field} names the flag for errors. */
  public static CostFilter parse(String field, String text) {
    int eq = text == null ? -1 : text.indexOf('=');
    if (eq <= 0) {
      throw TallyException.invalid(Problem.of(field, "must be COLUMN=VALUE, e.g. ServiceName=Amazon EC2", text));
    }
    return new CostFilter(CostColumn.parse(field, text.substring(0, eq)), text.substring(eq + 1));
  }

  /** The SQL condition, with one parameter when the value is not empty. */
  String sql() {
    return value.isEmpty() ? column.sql() + " IS NULL" : column.sql() + " = ?";
  }

  @Override
  public String toString() {
    return column.label() + "=" + value;
  }
}
