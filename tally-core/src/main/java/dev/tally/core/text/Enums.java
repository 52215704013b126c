package dev.tally.core.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Enum constants as people type them: in any case, with {@code -} for {@code _}, blanks around ignored. One parser
 * and one way of listing the choices, so that every "must be ..." message names exactly the constants there are.
 */
public final class Enums {
  private Enums() {}

  /**
   * The constant {@code text} names.
   *
   * @throws IllegalArgumentException "must be a, b or c" (the choices), when it names none; callers that read input
   *     turn this into a {@code Problem} naming where the text came from
   */
  public static <E extends Enum<E>> E parse(Class<E> type, String text) {
    if (text != null) {
      String name = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
      for (E e : type.getEnumConstants()) {
        if (e.name().equals(name)) {
          return e;
        }
      }
    }
    throw new IllegalArgumentException("must be " + choices(type));
  }

  /** The constants in declaration order as a person types them: {@code week, month, quarter or year}. */
  static String choices(Class<? extends Enum<?>> type) {
    List<String> names = new ArrayList<>();
    for (Enum<?> e : type.getEnumConstants()) {
      names.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    if (names.size() == 1) {
      return names.get(0);
    }
    return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
  }
}
