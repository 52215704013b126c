package dev.tally.store.cost;

import static java.util.Objects.requireNonNull;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.cost.CostReportTables;
import dev.tally.store.Sql;
import java.util.Optional;

/**
 * A column a report groups or filters by: a FOCUS column ({@code ServiceName}) or a tag key ({@code tag:env} or
 * {@code Tags.env}), resolved to a text-valued SQL expression.
 *
 * @param label the name shown in reports: the FOCUS name, or {@code tag:KEY}
 * @param sql a SQL expression of text type over {@code cost_charges}
 */
public record CostColumn(String label, String sql) {
  public CostColumn {
    requireNonNull(label, "label is null");
    requireNonNull(sql, "sql is null");
  }

  /**
   * Resolves a name given by a user; {@code field} names the flag for the error.
   *
   * @throws TallyException (invalid input) naming the flag and the unknown column
   */
  public static CostColumn parse(String field, String name) {
    String n = name == null ? "" : name.strip();
    Optional<String> tag = CostReportTables.tagKey(field, name);
    if (tag.isPresent()) {
      String key = tag.get();
      // json_extract_string takes a JSON path; quoting the key keeps dots and spaces in keys literal.
      return new CostColumn("tag:" + key, "json_extract_string(\"Tags\", " + Sql.literal("$.\""
          + key.replace("\"", "\\\"") + "\"") + ")");
    }
    FocusColumn col = FocusColumn.named(n).orElseThrow(() -> TallyException.invalid(Problem.of(field,
        "is not a FOCUS column or tag:KEY (for example ServiceName, SubAccountId, RegionId, tag:env)", name)));
    String sql = switch (col.type()) {
      case STRING -> col.sql();
      case DATETIME -> "strftime(" + col.sql() + ", '%Y-%m-%dT%H:%M:%SZ')";
      default -> "CAST(" + col.sql() + " AS VARCHAR)";
    };
    return new CostColumn(col.name(), sql);
  }
}
