package dev.tally.core.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tally.api.Problem;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The rules an event's {@code data} must follow beyond being a JSON object, checked in the one streaming pass that
 * also finds where {@code data} ends.
 *
 * <ul>
 *   <li><b>Depth</b>: at most {@link EventLimits#MAX_DATA_DEPTH} levels of objects and arrays. Usage data is shallow;
 *       a limit far below the parser's own keeps hostile input from costing stack or time anywhere later.</li>
 *   <li><b>Unicode</b>: member names and strings hold no unpaired surrogate ({@link Text}), which the store could not
 *       keep as written.</li>
 *   <li><b>Numbers the store reads back exactly</b>. The store keeps {@code data} as the producer wrote it, but reads
 *       JSON numbers out of it as 64-bit integers or IEEE doubles (DuckDB's JSON reader). A number that would not
 *       survive that, such as {@code 12345678901234567890.123456789} (read as {@code 12345678901234567000}),
 *       {@code 1e-400} (read as {@code 0}) or {@code 1e400} (infinite), is refused with a hint to send it as a string,
 *       which meters read digit for digit. The check is exact: a number is kept when it is an integer within 64 bits,
 *       or when the shortest decimal of its nearest double equals it.</li>
 * </ul>
 * Every problem names its place, such as {@code data.usage.tokens} or {@code data.items[2]}; at most
 * {@link #MAX_PROBLEMS} are listed per event.
 */
public final class DataRules {
  /** Problems listed per event before the rest are summarised. */
  public static final int MAX_PROBLEMS = 10;

  private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private DataRules() {}

  /**
   * Reads the object the parser stands on (its current token is {@code START_OBJECT}) to its end, adding a problem
   * for each rule broken. On return the parser stands on the object's {@code END_OBJECT}.
   */
  static void check(JsonParser p, List<Problem> problems) throws IOException {
    // The frames from data down to the current value: an object's current member name, or an array's current index.
    Deque<Frame> frames = new ArrayDeque<>();
    frames.push(new Frame(false));
    int found = 0;
    JsonToken t;
    while (!frames.isEmpty() && (t = p.nextToken()) != null) {
      switch (t) {
        case FIELD_NAME -> {
          String name = p.currentName();
          frames.peek().name = name;
          String bad = Text.problem(name, false);
          if (bad != null) {
            found = add(problems, found, place(frames), "has a member name that " + bad, Text.printable(name));
          }
        }
        case START_OBJECT, START_ARRAY -> {
          if (frames.size() >= EventLimits.MAX_DATA_DEPTH) {
            found = add(problems, found, place(frames), "is nested more than " + EventLimits.MAX_DATA_DEPTH
                + " levels deep (the limit for data)", null);
            p.skipChildren();
            next(frames);
          } else {
            frames.push(new Frame(t == JsonToken.START_ARRAY));
          }
        }
        case END_OBJECT, END_ARRAY -> {
          frames.pop();
          next(frames);
        }
        case VALUE_STRING -> {
          String bad = Text.problem(p.getText(), false);
          if (bad != null) {
            found = add(problems, found, place(frames), bad, Text.printable(p.getText()));
          }
          next(frames);
        }
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
          String text = p.getText();
          String bad = numberProblem(text, t == JsonToken.VALUE_NUMBER_INT);
          if (bad != null) {
            found = add(problems, found, place(frames), bad, text);
          }
          next(frames);
        }
        default -> next(frames); // true, false, null: nothing to check
      }
    }
  }

  /** One level of nesting: an array and its current index, or an object and its current member. */
  private static final class Frame {
    final boolean array;
    int index;
    String name;

    Frame(boolean array) {
      this.array = array;
    }
  }

  /** After a value: an array moves to its next index. */
  private static void next(Deque<Frame> frames) {
    Frame f = frames.peek();
    if (f != null && f.array) {
      f.index++;
    }
  }

  private static String place(Deque<Frame> frames) {
    StringBuilder sb = new StringBuilder("data");
    java.util.Iterator<Frame> it = frames.descendingIterator();
    while (it.hasNext()) {
      Frame f = it.next();
      if (f.array) {
        sb.append('[').append(f.index).append(']');
      } else if (f.name != null) {
        sb.append('.').append(Text.printable(f.name));
      }
    }
    return sb.toString();
  }

  private static int add(List<Problem> problems, int found, String field, String message, String given) {
    if (found < MAX_PROBLEMS) {
      problems.add(given == null ? Problem.of(field, message) : Problem.of(field, message, given));
    } else if (found == MAX_PROBLEMS) {
      problems.add(Problem.of("data", "has more problems; only the first " + MAX_PROBLEMS + " are listed"));
    }
    return found + 1;
  }


  /**
   * Why the store could not read this JSON number back exactly, or null when it can.
   *
   * @param integer whether the text has neither fraction nor exponent
   */
  static String numberProblem(String text, boolean integer) {
    // Fast path for the numbers usage events carry: fifteen digits or fewer, no exponent, always exact as a double.
    if (text.length() <= 15 && text.indexOf('e') < 0 && text.indexOf('E') < 0) {
      return null;
    }
    if (integer) {
      BigInteger v = new BigInteger(text);
      if (v.bitLength() < 64 || (v.signum() > 0 && v.compareTo(UINT64_MAX) <= 0)) {
        return null;
      }
    }
    double d = Double.parseDouble(text);
    BigDecimal exact = new BigDecimal(text);
    if (Double.isInfinite(d)) {
      return "is too large for a JSON number here (beyond the range of a double); send it as a string, \"" + text
          + "\", to keep every digit";
    }
    if (d == 0 && exact.signum() != 0) {
      return "is too small for a JSON number here (it would read as 0); send it as a string, \"" + text
          + "\", to keep every digit";
    }
    if (new BigDecimal(Double.toString(d)).compareTo(exact) != 0) {
      return "has more significant digits than a JSON number keeps here (about 15; it would read as "
          + new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString() + "); send it as a string, \""
          + text + "\", to keep every digit";
    }
    return null;
  }
}
