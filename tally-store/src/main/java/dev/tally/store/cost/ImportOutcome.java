package dev.tally.store.cost;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * What importing one cost file did.
 *
 * @param file the file's name as given
 * @param format the format it was read as
 * @param focusVersion the FOCUS column set detected ({@code 1.0}, {@code 1.1}, {@code 1.2}), or {@code mapped} for a
 *     provider export mapped to FOCUS
 * @param importId the import's id in the store (the earlier import's id when the file was already imported)
 * @param rows charges imported (0 when the file was already imported)
 * @param billedTotal the sum of BilledCost over the file's rows
 * @param alreadyImported whether the same bytes had been imported before, in which case nothing was added
 * @param normalised how many values of each column were rewritten (enum casing), by column
 * @param replaced what a restating import ({@code --replace}) removed: the earlier charges of the billing periods the
 *     file covers; {@link Replaced#NONE} otherwise
 * @param rounded the cost values that had more decimal places than are stored, and what rounding did to the total
 * @param basis what the file's cost stood for (an amortized export's cost is EffectiveCost)
 */
public record ImportOutcome(String file, CostFormat format, String focusVersion, long importId, long rows,
    BigDecimal billedTotal, boolean alreadyImported, Map<String, Long> normalised, Replaced replaced,
    Rounded rounded, CostBasis basis) {
  public ImportOutcome {
    requireNonNull(basis, "basis is null");
    requireNonNull(rounded, "rounded is null");
    requireNonNull(file, "file is null");
    requireNonNull(format, "format is null");
    requireNonNull(focusVersion, "focusVersion is null");
    requireNonNull(billedTotal, "billedTotal is null");
    normalised = Map.copyOf(normalised);
    requireNonNull(replaced, "replaced is null");
  }

  /**
   * Charges a restating import replaced.
   *
   * @param rows how many charges were removed
   * @param billedTotal their BilledCost total
   * @param imports the imports they came from, ascending
   */
  public record Replaced(long rows, BigDecimal billedTotal, List<Long> imports) {
    /** Nothing replaced. */
    public static final Replaced NONE = new Replaced(0, BigDecimal.ZERO, List.of());

    public Replaced {
      requireNonNull(billedTotal, "billedTotal is null");
      imports = List.copyOf(imports);
    }
  }

  /**
   * Cost values rounded on import: money is stored as {@code DECIMAL(38,12)}, and a value with more places (Azure
   * exports carry up to 16) is rounded half away from zero, never silently: the import says how many and by how much.
   *
   * @param columns how many values of each cost column were rounded, by column (only columns with some)
   * @param billedChange the stored BilledCost total minus the total of the file's own digits (0 when none rounded)
   */
  public record Rounded(Map<String, Long> columns, BigDecimal billedChange) {
    /** Nothing rounded. */
    public static final Rounded NONE = new Rounded(Map.of(), BigDecimal.ZERO);

    public Rounded {
      columns = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(columns));
      requireNonNull(billedChange, "billedChange is null");
    }

    /** Whether any value was rounded. */
    public boolean any() {
      return !columns.isEmpty();
    }
  }
}
