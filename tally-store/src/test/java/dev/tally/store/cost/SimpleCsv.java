package dev.tally.store.cost;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small RFC 4180 reader for tests, independent of DuckDB, to compute expected answers another way. */
final class SimpleCsv {
  private SimpleCsv() {}

  /** Parses text into records; fields may be quoted, with doubled quotes and line breaks inside. */
  static List<List<String>> parse(String text) {
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    List<List<String>> out = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          field.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        record.add(field.toString());
        field.setLength(0);
      } else if (ch == '\n' || ch == '\r') {
        if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        record.add(field.toString());
        field.setLength(0);
        out.add(record);
        record = new ArrayList<>();
      } else {
        field.append(ch);
      }
    }
    if (field.length() > 0 || !record.isEmpty()) {
      record.add(field.toString());
      out.add(record);
    }
    return out;
  }

  /** The records after the header as maps from header to field. */
  static List<Map<String, String>> records(String text) {
    List<List<String>> all = parse(text);
    List<String> header = all.get(0);
    List<Map<String, String>> out = new ArrayList<>();
    for (List<String> r : all.subList(1, all.size())) {
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i < header.size(); i++) {
        m.put(header.get(i), r.get(i));
      }
      out.add(m);
    }
    return out;
  }
}
