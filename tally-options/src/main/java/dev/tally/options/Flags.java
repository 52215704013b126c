package dev.tally.options;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import java.util.List;
import java.util.Map;

/**
 * The one place where the command line names the store's fields by its flags. The store and core name a problem by
 * the domain field it is about ({@code amount}, {@code threshold}); the server names it by its JSON field; the CLI
 * prints the flag a person typed ({@code --amount}). Fields not listed here are printed as they are.
 */
public final class Flags {
  private static final Map<String, String> FLAG_OF = Map.ofEntries(
      Map.entry("amount", "--amount"),
      Map.entry("period", "--period"),
      Map.entry("threshold", "--threshold"),
      Map.entry("filter", "--filter"),
      Map.entry("window", "--window"),
      Map.entry("top", "--top"),
      Map.entry("format", "--format"),
      Map.entry("url", "--url"),
      Map.entry("secret", "--secret"),
      Map.entry("anomalyDays", "--anomaly-days"),
      Map.entry("port", "--port"),
      Map.entry("from", "--from"),
      Map.entry("to", "--to"),
      Map.entry("out", "--out"),
      Map.entry("by", "--by"));
  /**
   * Fields named with a prefix and a key, each key printed after the flag: {@code mapping.subject} (the importer's
   * {@code EventImporter.MAPPING}; spelled here so that this table depends on no store class).
   */
  private static final Map<String, String> FLAG_OF_PREFIX = Map.of("mapping.", "--map ");

  private Flags() {}

  /** The flag that gives a field, or the field itself. */
  public static String of(String field) {
    for (Map.Entry<String, String> p : FLAG_OF_PREFIX.entrySet()) {
      if (field.startsWith(p.getKey())) {
        return p.getValue() + field.substring(p.getKey().length());
      }
    }
    return FLAG_OF.getOrDefault(field, field);
  }

  /**
   * The exception with its problems named by flags. A headline that was made from its only problem (as
   * {@link TallyException#invalid(Problem)} makes it) is made again from the renamed one.
   */
  public static TallyException named(TallyException e) {
    if (e.problems().stream().allMatch(p -> of(p.field()).equals(p.field()))) {
      return e;
    }
    List<Problem> renamed = e.problems().stream()
        .map(p -> new Problem(p.index(), p.line(), of(p.field()), p.message(), p.given())).toList();
    String headline = e.problems().size() == 1 && e.getMessage().equals(e.problems().get(0).describe())
        ? renamed.get(0).describe() : e.getMessage();
    TallyException out = new TallyException(e.code(), headline, renamed, e.getCause());
    out.setStackTrace(e.getStackTrace());
    return out;
  }
}
