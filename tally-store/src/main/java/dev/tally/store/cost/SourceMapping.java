package dev.tally.store.cost;

import static java.util.Objects.requireNonNull;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How a file's columns become FOCUS columns: for each FOCUS column, a SQL expression over the staged file that yields
 * the value as text (or NULL). The importer then validates and casts every format the same way, so a cost that is not
 * a number is reported with its row and column whether it came from FOCUS, Azure or AWS.
 */
interface SourceMapping {
  /**
   * The expressions, by FOCUS column name, over the staged file's columns.
   *
   * @throws TallyException (invalid input) if a column the format needs is missing
   */
  Mapped map(SourceColumns columns);

  /**
   * A mapping's result.
   *
   * @param expressions text-valued SQL expression for each FOCUS column the file provides
   * @param extra a SQL expression for a JSON object of the columns that are not FOCUS's, if any
   * @param version the FOCUS column set detected, or {@code mapped}
   * @param basis what the file's cost columns stand for
   * @param source a query over the stage giving the rows to map, each with {@code _src}, its staged row's position
   *     (several rows may come from one, as a Google usage row and its credits); empty for the stage's own rows
   */
  record Mapped(Map<String, String> expressions, Optional<String> extra, String version, CostBasis basis,
      Optional<String> source) {
    public Mapped {
      expressions = Map.copyOf(expressions);
      requireNonNull(extra, "extra is null");
      requireNonNull(version, "version is null");
      requireNonNull(basis, "basis is null");
      requireNonNull(source, "source is null");
    }

    /** Rows one for one with the staged file's. */
    Mapped(Map<String, String> expressions, Optional<String> extra, String version, CostBasis basis) {
      this(expressions, extra, version, basis, Optional.empty());
    }

    /** A provider export mapped to FOCUS, its cost being what was invoiced. */
    Mapped(Map<String, String> expressions, Optional<String> extra, String version) {
      this(expressions, extra, version, CostBasis.ACTUAL);
    }
  }

  /** The staged file's columns: name and DuckDB type, in file order. */
  final class SourceColumns {
    private final Map<String, String> typeByName = new LinkedHashMap<>();
    private final Map<String, String> nameByKey = new LinkedHashMap<>();
    private final String file;

    SourceColumns(String file, Map<String, String> typeByName) {
      this.file = file;
      this.typeByName.putAll(typeByName);
      typeByName.keySet().forEach(n -> nameByKey.putIfAbsent(key(n), n));
    }

    /**
     * The lookup key of a header: lower case with every non-alphanumeric character dropped, so that
     * {@code lineItem/UnblendedCost}, {@code line_item_unblended_cost} and {@code LineItemUnblendedCost} meet.
     */
    static String key(String header) {
      return header.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    List<String> names() {
      return new ArrayList<>(typeByName.keySet());
    }

    /** The column's actual name, found by {@link #key}, trying each candidate in turn. */
    Optional<String> find(String... candidates) {
      for (String c : candidates) {
        String n = nameByKey.get(key(c));
        if (n != null) {
          return Optional.of(n);
        }
      }
      return Optional.empty();
    }

    /** The column, or an error naming the file and the column it lacks. */
    String require(String... candidates) {
      return find(candidates).orElseThrow(() -> TallyException.invalid(Problem.of(candidates[0],
          "is a required column and the file has no column " + String.join(" or ", candidates), file)));
    }

    /** A text-valued expression for a column: trimmed, with empty and {@code NULL} as SQL NULL. */
    String text(String name) {
      String type = typeByName.get(name).toUpperCase(Locale.ROOT);
      String id = quote(name);
      String asText = type.startsWith("MAP") || type.startsWith("STRUCT") || type.endsWith("[]")
          ? "CAST(to_json(" + id + ") AS VARCHAR)"
          : "CAST(" + id + " AS VARCHAR)";
      return "nullif(nullif(trim(" + asText + "), ''), 'NULL')";
    }

    /** The text of the first of the candidate columns the file has, or SQL NULL. */
    String textOrNull(String... candidates) {
      return find(candidates).map(this::text).orElse("CAST(NULL AS VARCHAR)");
    }

    /**
     * The first non-null text among all the candidate columns the file has (an EA export has both {@code benefitId}
     * and {@code ReservationId}, each empty where the other is set), or SQL NULL.
     */
    String firstText(String... candidates) {
      List<String> present = new ArrayList<>();
      for (String c : candidates) {
        find(c).filter(n -> present.stream().noneMatch(p -> p.contains(quote(n)))).ifPresent(n -> present.add(text(n)));
      }
      return present.isEmpty() ? "CAST(NULL AS VARCHAR)"
          : present.size() == 1 ? present.get(0) : "coalesce(" + String.join(", ", present) + ")";
    }

    static String quote(String identifier) {
      return '"' + identifier.replace("\"", "\"\"") + '"';
    }
  }

  /** A SQL string literal. */
  static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
