package dev.tally.core.cost;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.format.Csv;
import dev.tally.core.format.Decimals;
import dev.tally.core.format.TextTable;
import dev.tally.core.format.UsageFormats.Format;
import dev.tally.core.json.Json;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A report's result as named columns and rows, rendered the same way for every report: JSON
 * ({@code {report, currency, rows: [{column: value}], notes}}, money as exact JSON numbers), CSV (one header line, the
 * rows, no notes, for scripts), or an aligned table with the notes under it (for people).
 *
 * <p>A cell is a {@link String}, a {@link BigDecimal}, {@code null} (absent: JSON null, empty CSV field, {@code -} in
 * a table), or a list of maps (nested detail such as root causes: a JSON array; in CSV and tables a compact
 * {@code key=value; ...} text).
 *
 * @param report the report's name, e.g. {@code totals}
 * @param currency the billing currency of every money figure, empty if there were no charges
 * @param columns column names
 * @param rows the rows, each as long as {@code columns}
 * @param notes sentences a reader needs (rounding rule, what was left out, why something is empty)
 */
public record ReportTable(String report, Optional<String> currency, List<String> columns, List<List<Object>> rows,
    List<String> notes) {
  public ReportTable {
    requireNonNull(report, "report is null");
    requireNonNull(currency, "currency is null");
    columns = List.copyOf(columns);
    if (new java.util.HashSet<>(columns).size() != columns.size()) {
      // JSON keys would collide and CSV would repeat a header: a report names each column once.
      throw new IllegalArgumentException("columns are not distinct: " + columns);
    }
    List<List<Object>> copy = new ArrayList<>();
    for (List<Object> r : rows) {
      if (r.size() != columns.size()) {
        throw new IllegalArgumentException("row " + copy.size() + " has " + r.size() + " cells for " + columns.size()
            + " columns " + columns);
      }
      copy.add(java.util.Collections.unmodifiableList(new ArrayList<>(r)));
    }
    rows = List.copyOf(copy);
    notes = List.copyOf(notes);
  }

  /** The rows as maps from column name to cell, in column order. */
  public List<Map<String, Object>> records() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (List<Object> r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < columns.size(); i++) {
        m.put(columns.get(i), r.get(i));
      }
      out.add(m);
    }
    return out;
  }

  /** Renders in a format. */
  public String render(Format format) {
    return switch (format) {
      case JSON -> json();
      case CSV -> csv();
      case TABLE -> table();
    };
  }

  /** The JSON tree of this table. */
  public ObjectNode jsonNode() {
    ObjectNode root = Json.json().createObjectNode();
    root.put("report", report);
    currency.ifPresentOrElse(c -> root.put("currency", c), () -> root.putNull("currency"));
    ArrayNode data = root.putArray("rows");
    for (Map<String, Object> r : records()) {
      data.add(Json.json().valueToTree(jsonCells(r)));
    }
    ArrayNode n = root.putArray("notes");
    notes.forEach(n::add);
    return root;
  }

  private static Map<String, Object> jsonCells(Map<String, Object> r) {
    Map<String, Object> out = new LinkedHashMap<>();
    r.forEach((k, v) -> out.put(k, v instanceof BigDecimal d ? number(d) : v));
    return out;
  }

  private String json() {
    try {
      return Json.json().writerWithDefaultPrettyPrinter().writeValueAsString(jsonNode()) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String csv() {
    StringBuilder sb = new StringBuilder(Csv.line(columns));
    for (List<Object> r : rows) {
      sb.append(Csv.line(r.stream().map(c -> text(c, "")).toList()));
    }
    return sb.toString();
  }

  private String table() {
    boolean[] numeric = new boolean[columns.size()];
    for (List<Object> r : rows) {
      for (int i = 0; i < numeric.length; i++) {
        numeric[i] |= r.get(i) instanceof BigDecimal;
      }
    }
    TextTable t = new TextTable(columns, numeric);
    rows.forEach(r -> t.add(r.stream().map(c -> text(c, "-")).toList()));
    StringBuilder sb = new StringBuilder(t.toString());
    sb.append("(").append(rows.size()).append(rows.size() == 1 ? " row" : " rows");
    currency.ifPresent(c -> sb.append("; money in ").append(c));
    sb.append(")\n");
    notes.forEach(n -> sb.append("note: ").append(n).append('\n'));
    return sb.toString();
  }

  /**
   * How a number is shown: percentages and scores (2 places or fewer) keep their places ({@code 100.00}); money and
   * quantities (stored with 12 or 15) lose trailing zeros ({@code 19.9064393447}), never digits.
   */
  private static BigDecimal number(BigDecimal d) {
    return d.scale() <= Percentages.SCALE ? d : Decimals.normalise(d);
  }

  private static String text(Object cell, String absent) {
    if (cell == null) {
      return absent;
    }
    if (cell instanceof BigDecimal d) {
      return number(d).toPlainString();
    }
    if (cell instanceof List<?> list) {
      List<String> parts = new ArrayList<>();
      for (Object o : list) {
        if (o instanceof Map<?, ?> m) {
          List<String> kv = new ArrayList<>();
          m.forEach((k, v) -> kv.add(k + "=" + text(v, "")));
          parts.add(String.join(" ", kv));
        } else {
          parts.add(text(o, absent));
        }
      }
      return String.join("; ", parts);
    }
    return cell.toString();
  }
}
