package dev.tally.store.cost;

import static java.util.Objects.requireNonNull;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.store.Sql;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

  /**
   * The staged file's columns: name and DuckDB type, in file order. A column is found by its name's {@link #key}, by
   * a canonical name in parentheses at the end of a localised header, or by the name the user gave it with
   * {@code --column}.
   */
  final class SourceColumns {
    /**
     * A localised header that carries the canonical name in parentheses, as Microsoft's localised schema pages write
     * them ({@code 測定カテゴリ (MeterCategory)}), is found by that name.
     */
    private static final Pattern CANONICAL_IN_PARENTHESES =
        Pattern.compile(".*\\(\\s*([A-Za-z][A-Za-z0-9]*)\\s*\\)\\s*");

    private final Map<String, String> typeByName = new LinkedHashMap<>();
    private final Map<String, String> nameByKey = new LinkedHashMap<>();
    /** The name the user gave a header, by the file's header. */
    private final Map<String, String> renamedByName = new LinkedHashMap<>();
    /** The keys of every name a mapping looked for, so a --column naming a column no mapping reads is refused. */
    private final Set<String> asked = new HashSet<>();
    private final String file;

    SourceColumns(String file, Map<String, String> typeByName) {
      this(file, typeByName, Map.of());
    }

    /**
     * @param renames the user's names for headers the mappings do not know (a localised export's {@code Kosten} for
     *     {@code PreTaxCost}), by the file's header; a header is matched exactly, else ignoring case
     * @throws TallyException (problem field {@code column}) if a renamed header is not in the file
     */
    SourceColumns(String file, Map<String, String> typeByName, Map<String, String> renames) {
      this.file = file;
      this.typeByName.putAll(typeByName);
      typeByName.keySet().forEach(n -> nameByKey.putIfAbsent(key(n), n));
      for (String n : typeByName.keySet()) {
        canonicalInParentheses(n).ifPresent(canonical -> nameByKey.putIfAbsent(key(canonical), n));
      }
      List<Problem> problems = new ArrayList<>();
      for (Map.Entry<String, String> r : renames.entrySet()) {
        Optional<String> actual = typeByName.containsKey(r.getKey()) ? Optional.of(r.getKey())
            : typeByName.keySet().stream().filter(n -> n.strip().equalsIgnoreCase(r.getKey().strip())).findFirst();
        if (actual.isEmpty()) {
          problems.add(Problem.of("column", "the file has no column '" + r.getKey() + "' to read as "
              + r.getValue() + "; its columns are " + String.join(", ", typeByName.keySet()),
              r.getKey() + "=" + r.getValue()));
        } else {
          // The user's word wins over a header that happens to have the same key.
          nameByKey.put(key(r.getValue()), actual.get());
          renamedByName.put(actual.get(), r.getValue());
        }
      }
      if (!problems.isEmpty()) {
        throw TallyException.invalid(file + ": " + problems.get(0).message() + "; nothing was imported from this "
            + "file", problems);
      }
    }

    /**
     * The lookup key of a header: lower case with every non-alphanumeric character dropped, so that
     * {@code lineItem/UnblendedCost}, {@code line_item_unblended_cost} and {@code LineItemUnblendedCost} meet.
     */
    static String key(String header) {
      return header.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    /** The file's headers, in file order. */
    List<String> names() {
      return new ArrayList<>(typeByName.keySet());
    }

    /** The name a header is read as: the one the user gave it with {@code --column}, else the header itself. */
    String readAs(String header) {
      return renamedByName.getOrDefault(header, header);
    }

    /** Notes that the mapping reads the column {@code name}, for a mapping that does not look columns up by name. */
    void read(String name) {
      asked.add(key(name));
    }

    /** The canonical name in parentheses at the end of a localised header ({@code Kosten (BilledCost)}), if any. */
    static Optional<String> canonicalInParentheses(String header) {
      Matcher m = CANONICAL_IN_PARENTHESES.matcher(header);
      return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /**
     * The user's renames no mapping looked for, as {@code header=name}: a misspelt canonical name would otherwise
     * import the file as though {@code --column} had not been given.
     */
    List<String> unusedRenames() {
      List<String> unused = new ArrayList<>();
      renamedByName.forEach((header, name) -> {
        if (!asked.contains(key(name))) {
          unused.add(header + "=" + name);
        }
      });
      return unused;
    }

    /** The column's actual name, found by {@link #key}, trying each candidate in turn. */
    Optional<String> find(String... candidates) {
      for (String c : candidates) {
        asked.add(key(c));
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
      String id = Sql.identifier(name);
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
        find(c).filter(n -> present.stream().noneMatch(p -> p.contains(Sql.identifier(n)))).ifPresent(n -> present.add(text(n)));
      }
      return present.isEmpty() ? "CAST(NULL AS VARCHAR)"
          : present.size() == 1 ? present.get(0) : "coalesce(" + String.join(", ", present) + ")";
    }
  }
}
