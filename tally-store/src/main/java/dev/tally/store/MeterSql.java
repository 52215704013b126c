package dev.tally.store;

import dev.tally.api.Aggregation;
import dev.tally.api.Meter;
import dev.tally.core.meters.JsonPaths;
import dev.tally.core.meters.MeterValues;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL that extracts meters' values from events, shared by ingest (staged new events) and backfill (stored events),
 * so that both read values by exactly the same rules.
 *
 * <p>Extraction: every JSON path the meters read is extracted in one pass per event into a list column {@code vals}
 * ({@code json_extract(data, [paths])} parses each document once, however many meters read it); each meter then
 * reads its value and group keys from fixed positions of that list.
 *
 * <p>Value rules: those of {@link MeterValues} (exact DECIMAL(38,9) or refused; never rounded, never zero for a
 * missing value), written here in SQL for the commit's own check and for backfill.
 */
final class MeterSql {
  /** The SQL type of numeric values. */
  static final String DECIMAL = "DECIMAL(38,9)";

  private MeterSql() {}

  /** The distinct JSON paths a set of meters reads, each at a fixed (1-based) position of {@code vals}. */
  static final class Paths {
    private final Map<String, Integer> positions = new LinkedHashMap<>();

    static Paths of(Collection<Meter> meters) {
      Paths p = new Paths();
      for (Meter m : meters) {
        m.valueProperty().ifPresent(p::add);
        m.groupBy().values().forEach(p::add);
      }
      return p;
    }

    private void add(String jsonPath) {
      positions.putIfAbsent(JsonPaths.toEnginePath(jsonPath), positions.size() + 1);
    }

    /** The element of {@code vals} holding this path's value (JSON, NULL when absent). */
    String element(String jsonPath) {
      Integer pos = positions.get(JsonPaths.toEnginePath(jsonPath));
      if (pos == null) {
        throw new IllegalArgumentException("path " + jsonPath + " was not extracted");
      }
      return "vals[" + pos + "]";
    }

    /** The expression computing {@code vals} from a {@code data} column. */
    String listExpression() {
      if (positions.isEmpty()) {
        return "NULL::JSON[]";
      }
      List<String> lits = new ArrayList<>();
      positions.keySet().forEach(p -> lits.add(Sql.literal(p)));
      return "json_extract(data, [" + String.join(", ", lits) + "])";
    }
  }

  /** A SELECT of {@code columns} and the extracted {@code vals} from {@code table}. */
  static String valuesOf(Paths paths, String table, String columns) {
    return "SELECT " + columns + ", " + paths.listExpression() + " AS vals FROM " + table;
  }

  /**
   * A SELECT over {@code source} (which has tenant, type, subject, ts, seq and vals) of the rows a meter counts, with
   * columns {@code v} (the value as text), {@code vt} (its JSON type) and {@code g_0..} (group values), plus the
   * listed extra columns. Its one parameter is the tenant.
   */
  static String candidates(Meter meter, Paths paths, String source, String extraColumns) {
    StringBuilder sb = new StringBuilder("SELECT ").append(extraColumns);
    meter.valueProperty().ifPresent(p -> {
      String e = paths.element(p);
      sb.append(", json_extract_string(").append(e).append(", '$') AS v, json_type(").append(e).append(") AS vt");
    });
    int g = 0;
    for (String p : meter.groupBy().values()) {
      sb.append(", json_extract_string(").append(paths.element(p)).append(", '$') AS g_").append(g++);
    }
    sb.append(" FROM ").append(source).append(" WHERE tenant = ? AND type = ").append(Sql.literal(meter.eventType()));
    meter.eventFrom().ifPresent(f -> sb.append(" AND ts >= ").append(Sql.literal(f.toString())).append("::TIMESTAMPTZ"));
    return sb.toString();
  }

  /**
   * A predicate over {@code v, vt} that holds when the value fits the meter, by the rules of {@link MeterValues}
   * (which judges the same values in Java before a batch joins a commit).
   */
  static String valid(Meter meter) {
    Aggregation a = meter.aggregation();
    if (!a.needsValue()) {
      return "TRUE";
    }
    if (!a.numericValue()) {
      return "coalesce(vt IN ('VARCHAR', 'UBIGINT', 'BIGINT', 'DOUBLE') AND v <> '', FALSE)";
    }
    // Strings: a plain decimal, exact by construction. Integers: always fit (20 digits at most). Doubles: the
    // double's decimal (what json_extract_string prints) must survive DECIMAL(38,9) unchanged: more than 9
    // decimals, or a tiny number rounded to zero, read back as another double. (Comparing two DECIMAL types instead
    // would cast one to the other, which fails, not TRY-fails, for a value out of the other's range.)
    return "coalesce(CASE vt"
        + " WHEN 'VARCHAR' THEN regexp_full_match(v, " + Sql.literal(MeterValues.NUMERIC_STRING_REGEX) + ")"
        + " WHEN 'UBIGINT' THEN TRUE WHEN 'BIGINT' THEN TRUE"
        + " WHEN 'DOUBLE' THEN TRY_CAST(TRY_CAST(v AS " + DECIMAL + ") AS DOUBLE) = TRY_CAST(v AS DOUBLE)"
        + " ELSE FALSE END, FALSE)";
  }

  /** What a user is told about a value that does not fit ({@code vt} is the value's JSON type, or null). */
  static String invalidMessage(Meter meter, String vt) {
    return MeterValues.invalidMessage(meter, vt);
  }

  /** The field a value comes from, as users name it: {@code data.tokens} for {@code $.tokens}. */
  static String field(Meter meter) {
    return MeterValues.field(meter);
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
   * Inserts into the meter's table the values of the rows of {@code source} it counts. Invalid values are skipped:
   * ingest has refused them beforehand, and backfill reports them. Its one parameter is the tenant.
   */
  static String insertValues(StoredMeter m, Paths paths, String source) {
    Meter meter = m.meter();
    String value = meter.aggregation().numericValue() ? "CAST(v AS " + DECIMAL + ")" : "NULL";
    String svalue = meter.aggregation() == Aggregation.UNIQUE_COUNT ? "v" : "NULL";
    StringBuilder sb = new StringBuilder("INSERT INTO ").append(m.table()).append(" SELECT seq, subject, ts, ")
        .append(value).append(", ").append(svalue);
    for (int i = 0; i < meter.groupBy().size(); i++) {
      sb.append(", g_").append(i);
    }
    return sb.append(" FROM (").append(candidates(meter, paths, source, "seq, subject, ts")).append(") WHERE ")
        .append(valid(meter)).toString();
  }

  /** The stored events as a values source for backfilling the given meter. */
  static String storedEvents(Paths paths) {
    return "(" + valuesOf(paths, "events", "seq, tenant, type, subject, ts, source, id") + ")";
  }
}
