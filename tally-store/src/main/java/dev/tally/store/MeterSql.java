package dev.tally.store;

import dev.tally.api.Aggregation;
import dev.tally.api.Meter;
import dev.tally.core.meters.JsonPaths;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL that extracts a meter's values from events, shared by ingest (new events) and backfill (stored events), so
 * that both read values by exactly the same rules.
 *
 * <p>Value rules: numeric aggregations take a JSON number or a numeric string, held exactly as DECIMAL(38,9) (29
 * integer digits, 9 decimals); a value with more than 9 decimals would be rounded, so it is refused instead.
 * UNIQUE_COUNT takes a non-empty string or a number, compared as text. A missing or null value is refused: it is
 * never counted as zero.
 */
final class MeterSql {
  /** The SQL type of numeric values. */
  static final String DECIMAL = "DECIMAL(38,9)";

  private MeterSql() {}

  /** A SQL string literal. */
  static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  static String path(String jsonPath) {
    return literal(JsonPaths.toEnginePath(jsonPath));
  }

  /**
   * A SELECT over {@code source} (events or staging) of the candidate rows of a meter, with columns {@code v} (the
   * value as text) and {@code vt} (its JSON type), plus the listed extra columns.
   */
  static String candidates(Meter meter, String source, String extraColumns, String extraWhere) {
    String p = meter.valueProperty().map(MeterSql::path).orElse(null);
    StringBuilder sb = new StringBuilder("SELECT ").append(extraColumns);
    if (p != null) {
      sb.append(", json_extract_string(data, ").append(p).append(") AS v, json_type(data, ").append(p).append(") AS vt");
    }
    sb.append(" FROM ").append(source).append(" WHERE tenant = ? AND type = ").append(literal(meter.eventType()));
    meter.eventFrom().ifPresent(f -> sb.append(" AND ts >= ").append(literal(f.toString())).append("::TIMESTAMPTZ"));
    if (!extraWhere.isEmpty()) {
      sb.append(" AND ").append(extraWhere);
    }
    return sb.toString();
  }

  /** A predicate over {@code v, vt} that holds when the value fits the meter. */
  static String valid(Meter meter) {
    Aggregation a = meter.aggregation();
    if (!a.needsValue()) {
      return "TRUE";
    }
    if (!a.numericValue()) {
      return "coalesce(vt IN ('VARCHAR', 'UBIGINT', 'BIGINT', 'DOUBLE') AND v <> '', FALSE)";
    }
    return "coalesce(vt IN ('VARCHAR', 'UBIGINT', 'BIGINT', 'DOUBLE')"
        + " AND TRY_CAST(v AS " + DECIMAL + ") IS NOT NULL"
        + " AND coalesce(TRY_CAST(v AS DECIMAL(38,18)) = TRY_CAST(v AS " + DECIMAL + "), TRUE), FALSE)";
  }

  /** What a user is told about a value that does not fit. */
  static String invalidMessage(Meter meter, String vt) {
    String needs = meter.aggregation().numericValue()
        ? "a number or numeric string (at most 29 integer digits and 9 decimals)"
        : "a non-empty string or a number";
    if (vt == null) {
      return "is missing; meter '" + meter.slug() + "' (" + meter.aggregation() + ") needs " + needs;
    }
    if (vt.equals("NULL")) {
      return "is null; meter '" + meter.slug() + "' (" + meter.aggregation() + ") needs " + needs;
    }
    return "does not fit meter '" + meter.slug() + "' (" + meter.aggregation() + "), which needs " + needs;
  }

  /** The field a value comes from, as users name it: {@code data.tokens} for {@code $.tokens}. */
  static String field(Meter meter) {
    return meter.valueProperty().map(p -> "data" + p.trim().substring(1)).orElse("data");
  }

  /** DDL of a meter's data table. */
  static String createTable(StoredMeter m) {
    StringBuilder sb = new StringBuilder("CREATE TABLE ").append(m.table())
        .append(" (seq BIGINT NOT NULL, subject VARCHAR NOT NULL, ts TIMESTAMPTZ NOT NULL, value ").append(DECIMAL)
        .append(", svalue VARCHAR");
    for (int i = 0; i < m.meter().groupBy().size(); i++) {
      sb.append(", g_").append(i).append(" VARCHAR");
    }
    return sb.append(')').toString();
  }

  /**
   * Inserts into the meter's table the values of the matching events in {@code events}, limited by
   * {@code extraWhere} (a seq range at ingest, nothing at backfill). Invalid values are skipped: ingest has refused
   * them beforehand, and backfill reports them.
   */
  static String insertValues(StoredMeter m, String extraWhere) {
    Meter meter = m.meter();
    List<String> cols = new ArrayList<>(List.of("seq", "subject", "ts"));
    for (String path : meter.groupBy().values()) {
      cols.add("json_extract_string(data, " + path(path) + ") AS g_" + (cols.size() - 3));
    }
    String inner = candidates(meter, "events", String.join(", ", cols), extraWhere);
    String value = meter.aggregation().numericValue() ? "CAST(v AS " + DECIMAL + ")" : "NULL";
    String svalue = meter.aggregation() == Aggregation.UNIQUE_COUNT ? "v" : "NULL";
    StringBuilder sb = new StringBuilder("INSERT INTO ").append(m.table()).append(" SELECT seq, subject, ts, ")
        .append(value).append(", ").append(svalue);
    for (int i = 0; i < meter.groupBy().size(); i++) {
      sb.append(", g_").append(i);
    }
    return sb.append(" FROM (").append(inner).append(") WHERE ").append(valid(meter)).toString();
  }
}
