package dev.tally.core.meters;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The subset of JSONPath that meters use to point into an event's {@code data}: a chain of member names and array
 * indexes from the root, written {@code $.usage.tokens}, {@code $.items[0].qty} or {@code $['model name']}. Wildcards,
 * filters and recursive descent select several values, which a meter cannot count unambiguously, so they are refused.
 *
 * <p>A path is turned into the store's own path syntax by {@link #toEnginePath(String)}, which quotes every member so
 * that no name can be read as syntax.
 */
public final class JsonPaths {
  private static final Pattern SIMPLE_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*");

  private JsonPaths() {}

  /** A path step: a member name or an array index. */
  public sealed interface Step {}

  /** A member of an object. */
  public record Member(String name) implements Step {}

  /** An element of an array. */
  public record Index(int index) implements Step {}

  /**
   * Parses a path.
   *
   * @throws IllegalArgumentException naming what is wrong and where
   */
  static List<Step> parse(String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("must be a JSONPath such as $.tokens");
    }
    String p = path.trim();
    String bad = dev.tally.core.events.Text.problem(p, true);
    if (bad != null) {
      throw new IllegalArgumentException(bad);
    }
    if (!p.startsWith("$")) {
      throw new IllegalArgumentException("must start with $ (for example $.tokens)");
    }
    List<Step> steps = new ArrayList<>();
    int i = 1;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == '.') {
        if (i + 1 < p.length() && p.charAt(i + 1) == '.') {
          throw new IllegalArgumentException("recursive descent (..) is not supported: a meter needs one value");
        }
        int j = i + 1;
        while (j < p.length() && p.charAt(j) != '.' && p.charAt(j) != '[') {
          j++;
        }
        String name = p.substring(i + 1, j);
        if (name.equals("*")) {
          throw new IllegalArgumentException("wildcards (*) are not supported: a meter needs one value");
        }
        if (!SIMPLE_NAME.matcher(name).matches()) {
          throw new IllegalArgumentException("has an invalid member name '" + name + "' at position " + (i + 1)
              + "; quote it as ['" + name + "']");
        }
        steps.add(new Member(name));
        i = j;
      } else if (c == '[') {
        int close = findClose(p, i);
        String inner = p.substring(i + 1, close).trim();
        if (inner.startsWith("'") || inner.startsWith("\"")) {
          char q = inner.charAt(0);
          if (inner.length() < 2 || inner.charAt(inner.length() - 1) != q) {
            throw new IllegalArgumentException("has an unterminated quoted name at position " + i);
          }
          String name = inner.substring(1, inner.length() - 1);
          if (name.isEmpty() || name.indexOf('"') >= 0 || name.indexOf('\'') >= 0 || name.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("has a member name that is empty or contains quotes or backslashes");
          }
          steps.add(new Member(name));
        } else if (inner.matches("\\d{1,6}")) {
          steps.add(new Index(Integer.parseInt(inner)));
        } else {
          throw new IllegalArgumentException("has an unsupported selector [" + inner
              + "]: only ['name'] and [index] are supported");
        }
        i = close + 1;
      } else {
        throw new IllegalArgumentException("has an unexpected character '" + c + "' at position " + i);
      }
    }
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("must name a property under $ (for example $.tokens)");
    }
    if (steps.size() > dev.tally.core.events.EventLimits.MAX_DATA_DEPTH) {
      throw new IllegalArgumentException("has " + steps.size() + " steps, over the limit of "
          + dev.tally.core.events.EventLimits.MAX_DATA_DEPTH + " (the deepest data an event may have)");
    }
    return steps;
  }

  /** Validates a path and returns it in the store engine's syntax, every member quoted. */
  public static String toEnginePath(String path) {
    StringBuilder sb = new StringBuilder("$");
    for (Step step : parse(path)) {
      if (step instanceof Member m) {
        sb.append(".\"").append(m.name()).append('"');
      } else if (step instanceof Index ix) {
        sb.append('[').append(ix.index()).append(']');
      }
    }
    return sb.toString();
  }

  private static int findClose(String p, int open) {
    int close = p.indexOf(']', open);
    if (close < 0) {
      throw new IllegalArgumentException("has an unclosed [ at position " + open);
    }
    return close;
  }
}
