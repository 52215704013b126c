package dev.tally.core.format;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with aligned columns, for people reading a terminal. Numbers are right-aligned. */
public final class TextTable {
  private final List<String> headers;
  private final boolean[] numeric;
  private final List<List<String>> rows = new ArrayList<>();

  public TextTable(List<String> headers, boolean[] numeric) {
    this.headers = List.copyOf(headers);
    this.numeric = numeric.clone();
  }

  public TextTable add(List<String> row) {
    rows.add(List.copyOf(row));
    return this;
  }

  @Override
  public String toString() {
    int[] w = new int[headers.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = headers.get(i).length();
      for (List<String> r : rows) {
        w[i] = Math.max(w[i], r.get(i).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, headers, w);
    for (int i = 0; i < w.length; i++) {
      sb.append(i == 0 ? "" : "  ").append("-".repeat(w[i]));
    }
    sb.append('\n');
    for (List<String> r : rows) {
      line(sb, r, w);
    }
    return sb.toString();
  }

  private void line(StringBuilder sb, List<String> cells, int[] w) {
    for (int i = 0; i < w.length; i++) {
      String c = cells.get(i);
      String pad = " ".repeat(w[i] - c.length());
      sb.append(i == 0 ? "" : "  ").append(numeric[i] ? pad + c : (i == w.length - 1 ? c : c + pad));
    }
    sb.append('\n');
  }
}
