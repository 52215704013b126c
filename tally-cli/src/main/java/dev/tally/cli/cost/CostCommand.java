package dev.tally.cli.cost;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.cli.common.StoreOptions;
import dev.tally.core.format.Decimals;
import dev.tally.options.CommandGroup;
import dev.tally.store.TallyStore;
import dev.tally.store.cost.CostBasis;
import dev.tally.store.cost.CostFormat;
import dev.tally.store.cost.CostStore;
import dev.tally.store.cost.ImportOutcome;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally cost ...}: cloud bills in (FOCUS, Azure cost exports, AWS CUR). */
@Command(
    name = "cost",
    mixinStandardHelpOptions = true,
    description = "Cost data: import cloud bills (FOCUS, Azure, AWS, Google Cloud, Oracle Cloud) for the reports, budgets and alerts.",
    subcommands = CostCommand.Import.class)
public final class CostCommand extends CommandGroup {
  /**
   * Imports cost files into a store and prints one line per file. This is the entry point other commands (such as
   * {@code tally import --format focus}) use.
   *
   * @param replace whether the files restate their billing periods (a re-delivered month): each then replaces the
   *     charges stored earlier for the same provider, billing account and billing period; files of one call are parts
   *     of one delivery and do not replace each other
   * @param columns headers to read under another name ({@code --column Kosten=PreTaxCost}), by the file's header
   * @return the outcomes, in file order
   * @throws TallyException for the first file that cannot be imported (earlier files stay imported)
   */
  public static List<ImportOutcome> importFiles(TallyStore store, String tenant, CostFormat format, List<Path> files,
      boolean replace, Map<String, String> columns, PrintWriter out) {
    // Each file is said as soon as it is in: when a later one fails, the ones before it are imported and shown.
    return CostStore.on(store).importer().importFiles(tenant, files, format, replace, columns, o -> {
      out.println(describe(o));
      out.flush();
    });
  }

  /** A one-line summary of an import, for people. */
  public static String describe(ImportOutcome o) {
    if (o.alreadyImported()) {
      return o.file() + ": already imported (import " + o.importId() + "), nothing added";
    }
    StringBuilder sb = new StringBuilder(o.file()).append(": imported ").append(o.rows()).append(" charges (")
        .append(o.format() == CostFormat.FOCUS ? "FOCUS " + o.focusVersion() : o.format().label() + ", mapped to FOCUS")
        .append("), BilledCost total ").append(Decimals.plain(o.billedTotal())).append(", 0 rejected");
    if (!o.normalised().isEmpty()) {
      sb.append("; normalised casing: ");
      List<String> parts = new ArrayList<>();
      o.normalised().entrySet().stream().sorted(Map.Entry.comparingByKey())
          .forEach(e -> parts.add(e.getKey() + " " + e.getValue()));
      sb.append(String.join(", ", parts));
    }
    if (o.basis() == CostBasis.AMORTIZED) {
      sb.append("; amortized-cost export: its cost is EffectiveCost; BilledCost is 0 for commitment-covered usage "
          + "and unused commitment, which the invoice bills as the commitment's purchase (not in an amortized export: "
          + "import the actual-cost export to reconcile with the invoice)");
    }
    ImportOutcome.Rounded rounded = o.rounded();
    if (rounded.any()) {
      sb.append("; rounded to 12 decimal places: ").append(rounded.columns().entrySet().stream()
          .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")))
          .append(" (BilledCost total changed by ").append(Decimals.plain(rounded.billedChange())).append(")");
    }
    ImportOutcome.Replaced r = o.replaced();
    if (r.rows() > 0) {
      sb.append("; replaced ").append(r.rows()).append(" earlier charges of the same billing periods (BilledCost ")
          .append(Decimals.plain(r.billedTotal())).append(", import").append(r.imports().size() == 1 ? " " : "s ")
          .append(r.imports().stream().map(String::valueOf).collect(Collectors.joining(", "))).append(")");
    }
    return sb.toString();
  }

  @Command(name = "import", mixinStandardHelpOptions = true,
      description = {"Import cost files, each all or nothing; re-importing the same file adds nothing.",
          "CSV, gzip CSV or Parquet, told apart by their bytes."})
  static final class Import implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "focus",
        description = {"focus, azure, azure-actual, azure-amortized, aws, google or oracle (default: ${DEFAULT-VALUE}).",
            "azure recognises an amortized-cost export by its rows (unused-commitment rows, covered usage with a "
                + "cost); azure-actual and azure-amortized say which it is."})
    String format;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files to import, in order.")
    List<Path> files;

    @Option(names = "--replace", description = {"The files restate their billing periods (a re-delivered month, "
        + "as AWS and Azure exports are): replace the charges stored earlier for the same provider, billing "
        + "account and billing period. Give every part of one delivery in the same command."})
    boolean replace;

    @Option(names = "--column", paramLabel = "HEADER=NAME", description = {"Read the file's column HEADER as the "
        + "column NAME of the format (repeatable), for headers Tally does not know, such as a translated export's: "
        + "--column Kosten=PreTaxCost. A header ending in the name in parentheses (\"Kosten (PreTaxCost)\") is "
        + "found without it."})
    Map<String, String> columns = new LinkedHashMap<>();

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      CostFormat f;
      try {
        f = CostFormat.parse(format);
      } catch (IllegalArgumentException e) {
        throw TallyException.invalid(Problem.of("--format", e.getMessage(), format));
      }
      String tenant = store.tenant();
      try (TallyStore s = store.open()) {
        importFiles(s, tenant, f, files, replace, columns, spec.commandLine().getOut());
      }
      return 0;
    }
  }
}
