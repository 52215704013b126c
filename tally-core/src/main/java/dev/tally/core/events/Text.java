package dev.tally.core.events;

/**
 * Checks that text given by a client is valid Unicode, and renders text safely for messages.
 *
 * <p>Why: Java strings can hold lone UTF-16 surrogates (JSON's {@code "\ud800"} decodes to one), which no UTF-8 store
 * can keep; DuckDB writes them as {@code ?}, so {@code order-\ud800} and {@code order-\udbff} would become the same id
 * and the second event would be dropped as a duplicate. Refusing them at the door keeps distinct ids distinct.
 */
public final class Text {
  private Text() {}

  /**
   * What is wrong with {@code s}, or null when it is valid Unicode (and, if asked, free of control characters).
   *
   * @param noControls also refuse the C0 control characters and DEL, which have no place in ids, sources, types,
   *     subjects or names, and which a terminal, a log or a CSV file would misread
   */
  public static String problem(String s, boolean noControls) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        return unpaired(c, i);
      }
      if (Character.isLowSurrogate(c)) {
        return unpaired(c, i);
      }
      if (noControls && (c < 0x20 || c == 0x7f)) {
        return String.format("contains the control character U+%04X at character %d; control characters are not "
            + "allowed here", (int) c, i + 1);
      }
    }
    return null;
  }

  private static String unpaired(char c, int i) {
    return String.format("is not valid Unicode: an unpaired surrogate U+%04X at character %d (a client bug in UTF-16 "
        + "handling; send the intended character)", (int) c, i + 1);
  }

  /** {@code s} with unpaired surrogates and control characters written as {@code \\uXXXX}, for echoing in a message. */
  public static String printable(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean pairStart = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
      boolean bad = (Character.isSurrogate(c) && !pairStart && !(i > 0 && Character.isLowSurrogate(c)
          && Character.isHighSurrogate(s.charAt(i - 1)))) || c < 0x20 || c == 0x7f;
      if (bad) {
        if (sb == null) {
          sb = new StringBuilder(s.length() + 8).append(s, 0, i);
        }
        sb.append(String.format("\\u%04x", (int) c));
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? s : sb.toString();
  }
}
