package dev.tally.core.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.api.UsageResult;
import dev.tally.api.UsageRow;
import dev.tally.core.json.Json;
import dev.tally.core.text.Enums;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A usage result in the three shapes Tally prints: OpenMeter's JSON response, CSV, and a table for people.
 *
 * <p>JSON: {@code {from, to, windowSize, data: [{value, windowStart, windowEnd, subject, groupBy}]}}, with
 * {@code subject} null when the query does not group by subject, as OpenMeter does. CSV: one header line
 * {@code windowStart,windowEnd,subject,<group keys...>,value}.
 */
public final class UsageFormats {
  /** Output formats, named as the CLI's {@code --format} takes them. */
  public enum Format {
    JSON,
    CSV,
    TABLE;

    public static Format parse(String s) {
      return Enums.parse(Format.class, s);
    }
  }

  private UsageFormats() {}

  public static String render(UsageResult result, Format format) {
    return switch (format) {
      case JSON -> json(result);
      case CSV -> csv(result);
      case TABLE -> table(result);
    };
  }

  public static ObjectNode jsonNode(UsageResult r) {
    ObjectNode root = Json.json().createObjectNode();
    root.put("from", r.from().toString());
    root.put("to", r.to().toString());
    r.windowSize().ifPresentOrElse(w -> root.put("windowSize", w.name()), () -> root.putNull("windowSize"));
    ArrayNode data = root.putArray("data");
    for (UsageRow row : r.data()) {
      ObjectNode o = data.addObject();
      o.put("value", Decimals.normalise(row.value()));
      o.put("windowStart", row.windowStart().toString());
      o.put("windowEnd", row.windowEnd().toString());
      row.subject().ifPresentOrElse(s -> o.put("subject", s), () -> o.putNull("subject"));
      ObjectNode gb = o.putObject("groupBy");
      row.groupBy().forEach(gb::put);
    }
    return root;
  }

  public static String json(UsageResult r) {
    try {
      return Json.json().writerWithDefaultPrettyPrinter().writeValueAsString(jsonNode(r)) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String csv(UsageResult r) {
    List<String> keys = groupKeys(r);
    StringBuilder sb = new StringBuilder();
    List<String> header = new ArrayList<>(List.of("windowStart", "windowEnd", "subject"));
    header.addAll(keys);
    header.add("value");
    sb.append(Csv.line(header));
    for (UsageRow row : r.data()) {
      sb.append(Csv.line(cells(row, keys)));
    }
    return sb.toString();
  }

  static String table(UsageResult r) {
    List<String> keys = groupKeys(r);
    List<String> header = new ArrayList<>(List.of("windowStart", "windowEnd", "subject"));
    header.addAll(keys);
    header.add("value");
    boolean[] numeric = new boolean[header.size()];
    numeric[numeric.length - 1] = true;
    TextTable t = new TextTable(header, numeric);
    for (UsageRow row : r.data()) {
      t.add(cells(row, keys));
    }
    return t + "(" + r.data().size() + " row" + (r.data().size() == 1 ? "" : "s") + ")\n";
  }

  private static List<String> cells(UsageRow row, List<String> keys) {
    List<String> cells = new ArrayList<>();
    cells.add(row.windowStart().toString());
    cells.add(row.windowEnd().toString());
    cells.add(row.subject().orElse(""));
    for (String k : keys) {
      cells.add(row.groupBy().getOrDefault(k, ""));
    }
    cells.add(Decimals.plain(row.value()));
    return cells;
  }

  private static List<String> groupKeys(UsageResult r) {
    Set<String> keys = new LinkedHashSet<>();
    r.data().forEach(row -> keys.addAll(row.groupBy().keySet()));
    return new ArrayList<>(keys);
  }
}
