package dev.tally.store;

import dev.tally.core.events.EventLimits;
import java.util.List;

/**
 * The SQL of the file import's fast path: DuckDB's own readers, and the event rules of {@code EventDecoder} written
 * as SQL predicates over the whole file.
 *
 * <p>The predicates accept a subset of what the decoder accepts, never more: where SQL cannot be sure (a timestamp in a
 * rarer RFC 3339 spelling, an attribute of non-ASCII characters only, which might be all white space, a number of 16
 * or more digits, more brackets in {@code data} than levels allowed), the row is called not ok and the whole file goes through the exact path, which then decides and names
 * the line. So the fast path changes how fast a file is stored, never what is stored or refused.
 */
final class BulkSql {
  private BulkSql() {}

  /** The attributes the NDJSON reader extracts, each as JSON so that its kind (string, number, null) can be checked. */
  private static final List<String> NDJSON_COLUMNS = List.of("specversion", "id", "source", "type", "subject", "time",
      "datacontenttype", "dataschema", "data");

  /**
   * RFC 3339 as the fast path takes it: upper-case {@code T} or a space, at most microseconds (the store's precision,
   * so nothing is rounded), {@code Z} or an offset below 18 hours. Everything else goes to the exact decoder.
   */
  private static final String TIME_PATTERN = "\\d{4}-\\d{2}-\\d{2}[T ]([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d"
      + "(\\.\\d{1,6})?(Z|[+-](0\\d|1[0-7]):[0-5]\\d)";

  /**
   * A query over an NDJSON file (gzip too) with the columns {@link EventIngestor#ingestBulk} takes. Lines that are
   * not one JSON object, repeated keys, invalid UTF-8 and unpaired surrogates make the reader fail, which declines the
   * fast path.
   */
  static String ndjson(String path) {
    StringBuilder columns = new StringBuilder();
    for (String c : NDJSON_COLUMNS) {
      columns.append(columns.length() == 0 ? "" : ", ").append('"').append(c).append("\": 'JSON'");
    }
    String reader = "read_json(" + Sql.literal(path) + ", format = 'newline_delimited', records = true, "
        + "columns = {" + columns + "})";
    String ok = "json_type(specversion) = 'VARCHAR' AND specversion->>'$' = '1.0'"
        + " AND " + jsonAttribute("id") + " AND " + jsonAttribute("source") + " AND " + jsonAttribute("\"type\"")
        + " AND " + jsonAttribute("subject")
        + " AND (\"time\" IS NULL OR json_type(\"time\") = 'NULL' OR (json_type(\"time\") = 'VARCHAR' AND "
        + time("\"time\"->>'$'") + "))"
        + " AND (datacontenttype IS NULL OR json_type(datacontenttype) = 'NULL' OR (json_type(datacontenttype) = "
        + "'VARCHAR' AND " + optionalText("datacontenttype->>'$'") + "))"
        + " AND (dataschema IS NULL OR json_type(dataschema) = 'NULL' OR (json_type(dataschema) = 'VARCHAR' AND "
        + optionalText("dataschema->>'$'") + "))"
        + " AND (data IS NULL OR json_type(data) = 'NULL' OR (json_type(data) = 'OBJECT' AND "
        + shallow("data::VARCHAR") + "))";
    return "SELECT id->>'$' AS id, source->>'$' AS source, \"type\"->>'$' AS \"type\", subject->>'$' AS subject, "
        + "CASE WHEN json_type(\"time\") = 'VARCHAR' THEN TRY_CAST(\"time\"->>'$' AS TIMESTAMPTZ) END AS ts, "
        + "CASE WHEN data IS NULL OR json_type(data) = 'NULL' THEN '{}' ELSE data END AS data, "
        + "datacontenttype->>'$' AS datacontenttype, dataschema->>'$' AS dataschema, " + ok + " AS ok FROM " + reader;
  }

  /**
   * Counts the lines of a text file longer than the decoder's event limit: the JSON reader has no exact per-line
   * limit, and the size of what it parsed is not the size of what was sent.
   */
  static String linesOverLimit(String path) {
    // Control characters are not allowed unescaped in JSON, so a unit separator never splits a valid line: a line
    // that has one fails here, which also declines the fast path.
    return "SELECT count(*) FROM read_csv(" + Sql.literal(path) + ", columns = {'line': 'VARCHAR'}, "
        + "header = false, delim = chr(31), quote = '', escape = '', auto_detect = false) WHERE strlen(line) > "
        + EventLimits.MAX_EVENT_BYTES + " OR " + inexactNumber("line");
  }

  /**
   * Whether JSON text may hold a number the decoder refuses as not read back exactly ({@code DataRules}): a number of
   * 16 or more digits and points, or one with an exponent. Fifteen significant digits always survive a double, so
   * what this lets through is exact; what it flags (also such text inside a string) goes to the exact path. The JSON
   * reader's own output cannot be judged instead: it has already turned every number into a double.
   */
  private static String inexactNumber(String expr) {
    return "regexp_matches(" + expr + ", '[:\\[,]\\s*-?([0-9.]{16,}|[0-9][0-9.]*[eE])')";
  }

  /** No C0 control character or DEL, which the decoder refuses in every attribute. */
  private static String noControls(String expr) {
    return "NOT regexp_matches(" + expr + ", '[\\x00-\\x1f\\x7f]')";
  }

  /**
   * Nesting within the decoder's depth limit, surely: no more opening brackets in all of {@code data} than levels
   * allowed (brackets inside strings count too, which only makes the check stricter).
   */
  private static String shallow(String expr) {
    return "strlen(" + expr + ") - strlen(replace(replace(" + expr + ", '{', ''), '[', '')) <= "
        + EventLimits.MAX_DATA_DEPTH;
  }

  /** An optional attribute the decoder surely accepts: absent, or within the length limit and free of controls. */
  private static String optionalText(String expr) {
    return "(" + expr + " IS NULL OR (strlen(" + expr + ") <= " + EventLimits.MAX_ATTRIBUTE_LENGTH + " AND "
        + noControls(expr) + "))";
  }

  /**
   * A query over the SELECT of a CSV or Parquet file whose columns are the attributes as text ({@code id, source,
   * type, subject, time, datacontenttype, dataschema, data}, in that order, as {@code EventImporter} builds it).
   */
  static String table(String select) {
    String ok = textAttribute("id") + " AND " + textAttribute("source") + " AND " + textAttribute("\"type\"") + " AND "
        + textAttribute("subject") + " AND (\"time\" IS NULL OR " + time("\"time\"") + ")"
        + " AND " + optionalText("datacontenttype") + " AND " + optionalText("dataschema")
        + " AND strlen(data) <= " + EventLimits.MAX_EVENT_BYTES + " AND " + shallow("data") + " AND NOT "
        + inexactNumber("data");
    return "SELECT id, source, \"type\", subject, TRY_CAST(\"time\" AS TIMESTAMPTZ) AS ts, data, datacontenttype, "
        + "dataschema, " + ok + " AS ok FROM (" + select + ") AS t(id, source, \"type\", subject, \"time\", "
        + "datacontenttype, dataschema, data)";
  }

  private static String jsonAttribute(String column) {
    return "json_type(" + column + ") = 'VARCHAR' AND " + textAttribute(column + "->>'$'");
  }

  /**
   * A required attribute the decoder surely accepts: present, at most the attribute limit (bytes bound UTF-16
   * units from above) and not blank, which one visible ASCII character proves.
   */
  private static String textAttribute(String expr) {
    return "(" + expr + ") IS NOT NULL AND strlen(" + expr + ") <= " + EventLimits.MAX_ATTRIBUTE_LENGTH
        + " AND regexp_matches(" + expr + ", '[!-~]') AND " + noControls(expr);
  }

  private static String time(String expr) {
    // The decoder's range is of the instant (years 0001-9999 in UTC), so an offset can move a time out of it.
    return "regexp_full_match(" + expr + ", '" + TIME_PATTERN + "') AND TRY_CAST(" + expr + " AS TIMESTAMPTZ) "
        + "BETWEEN TIMESTAMPTZ '0001-01-01 00:00:00+00' AND TIMESTAMPTZ '9999-12-31 23:59:59.999999+00'";
  }
}
