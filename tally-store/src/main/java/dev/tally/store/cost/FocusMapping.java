package dev.tally.store.cost;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.store.Sql;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A FOCUS file: columns are matched to FOCUS columns by name, ignoring case; columns that are not FOCUS's (such as the
 * sample's {@code Id}, or {@code x_} custom columns) are kept as a JSON object in {@code x_Extra}. The version is the
 * newest whose own columns appear (1.2 if any 1.2 column is present, else 1.1 if any 1.1 column, else 1.0). A header
 * renamed with {@code --column}, or ending in a FOCUS name in parentheses, is read as that FOCUS column.
 */
final class FocusMapping implements SourceMapping {
  @Override
  public Mapped map(SourceColumns columns) {
    Map<String, String> expressions = new LinkedHashMap<>();
    List<String> extras = new ArrayList<>();
    String version = "1.0";
    for (String name : columns.names()) {
      Optional<FocusColumn> focus = FocusColumn.named(columns.readAs(name))
          .or(() -> SourceColumns.canonicalInParentheses(name).flatMap(FocusColumn::named));
      focus.ifPresent(c -> columns.read(c.name()));
      if (focus.isPresent() && !expressions.containsKey(focus.get().name())) {
        expressions.put(focus.get().name(), columns.text(name));
        if (focus.get().since().compareTo(version) > 0) {
          version = focus.get().since();
        }
      } else {
        extras.add(Sql.literal(name) + ", " + columns.text(name));
      }
    }
    List<Problem> missing = new ArrayList<>();
    for (FocusColumn c : FocusColumn.ALL) {
      if (c.required() && !expressions.containsKey(c.name())) {
        missing.add(Problem.of(c.name(), "is a mandatory FOCUS column and the file does not have it"));
      }
    }
    if (!missing.isEmpty()) {
      throw TallyException.invalid("the file lacks " + missing.size() + " mandatory FOCUS column"
          + (missing.size() == 1 ? "" : "s"), missing);
    }
    Optional<String> extra = extras.isEmpty() ? Optional.empty()
        : Optional.of("json_object(" + String.join(", ", extras) + ")");
    return new Mapped(expressions, extra, version, CostBasis.FOCUS);
  }
}
