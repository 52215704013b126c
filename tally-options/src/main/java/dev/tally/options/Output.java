package dev.tally.options;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.api.ErrorCode;
import dev.tally.api.TallyException;
import dev.tally.core.format.Csv;
import dev.tally.core.format.TextTable;
import dev.tally.core.json.Json;
import java.util.List;

/**
 * The one writer of what commands print: JSON and YAML documents, and rows as CSV or a table, each the same way in
 * every command.
 */
public final class Output {
  private Output() {}

  /** A document as pretty JSON, with a final newline. */
  public static String json(JsonNode n) {
    try {
      return Json.json().writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n";
    } catch (JsonProcessingException e) {
      throw new TallyException(ErrorCode.INTERNAL, "cannot write JSON: " + e.getMessage(), e);
    }
  }

  /** A document as YAML, with its {@code ---} header, as a file to apply again. */
  public static String yaml(JsonNode n) {
    try {
      return Json.yaml().writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new TallyException(ErrorCode.INTERNAL, "cannot write YAML: " + e.getMessage(), e);
    }
  }

  /**
   * Rows with a header, as CSV or as a table for people.
   *
   * @param numeric the one column a table right-aligns (-1: none)
   */
  public record Rows(List<String> header, List<List<String>> rows, int numeric) {
    /** Rows with no column right-aligned. */
    public Rows(List<String> header, List<List<String>> rows) {
      this(header, rows, -1);
    }

    /** CSV with its header line, or anything else as a table. */
    public String render(OutputFormat f) {
      if (f == OutputFormat.CSV) {
        StringBuilder sb = new StringBuilder(Csv.line(header));
        rows.forEach(r -> sb.append(Csv.line(r)));
        return sb.toString();
      }
      boolean[] right = new boolean[header.size()];
      if (numeric >= 0) {
        right[numeric] = true;
      }
      TextTable t = new TextTable(header, right);
      rows.forEach(t::add);
      return t.toString();
    }
  }
}
