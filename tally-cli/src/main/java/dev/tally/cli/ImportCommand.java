package dev.tally.cli;

import dev.tally.api.IngestResult;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.cli.common.StoreOptions;
import dev.tally.cli.cost.CostCommand;
import dev.tally.store.EventImporter;
import dev.tally.store.TallyStore;
import dev.tally.store.cost.CostFormat;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally import}: event files into the store, each file all or nothing, with a summary. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Import usage events from files: NDJSON or a JSON array of CloudEvents (optionally .gz), or CSV/Parquet with",
      "a column mapping. Each file is all or nothing unless --skip-invalid. Re-importing a file stores nothing new."
    },
    footer = {
      "",
      "Examples:",
      "  tally import events.ndjson",
      "  tally import --tenant acme --map id=request_id,source='billing',type='api.request',subject=customer,"
          + "time=ts usage.csv",
      "  tally import --skip-invalid events.ndjson   (bad rows go to events.ndjson.rejected.ndjson)",
      "  tally import --format focus samples/focus/focus_sample.csv   (cost data, for 'tally report')"
    })
final class ImportCommand implements Callable<Integer> {
  @Mixin StoreOptions store;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files to import.")
  List<Path> files;

  @Option(names = "--format", paramLabel = "KIND", defaultValue = "events",
      description = "What the files hold: events (usage events, the default), or cost data to analyse: focus (FOCUS "
          + "1.0-1.2), azure (Cost Management export, actual or amortized, or pay-as-you-go usage details; "
          + "azure-actual and azure-amortized say which), aws (Cost and Usage Report) google (Cloud Billing "
          + "export, JSON or CSV) or oracle (OCI cost report); cost data is imported as by "
          + "'tally cost import'.")
  String kind;

  @Option(names = "--replace",
      description = "With cost data: the files restate their billing periods and replace the charges stored earlier "
          + "for them (see 'tally cost import --help').")
  boolean replace;

  @Option(names = "--column", paramLabel = "HEADER=NAME",
      description = "With cost data: read the file's column HEADER as the format's column NAME (repeatable; see "
          + "'tally cost import --help').")
  Map<String, String> columns = new LinkedHashMap<>();

  @Option(names = "--input-format", paramLabel = "FORMAT", defaultValue = "AUTO",
      description = "auto (by extension), json, csv or parquet (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--map", split = ",", paramLabel = "ATTR=COLUMN",
      description = "For CSV/Parquet: which column holds each event attribute (id, source, type, subject, time); "
          + "ATTR='text' sets a constant. Other columns become data properties.")
  Map<String, String> mapping = new LinkedHashMap<>();

  @Option(names = "--skip-invalid",
      description = "Store the valid rows and write rejected rows with their reasons to a side file.")
  boolean skipInvalid;

  @Option(names = "--rejects", paramLabel = "FILE",
      description = "Where --skip-invalid writes rejected rows (default: FILE.rejected.ndjson beside the input).")
  Path rejects;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    String k = kind.trim().toLowerCase(java.util.Locale.ROOT);
    if (!k.equals("events")) {
      CostFormat cost;
      try {
        cost = CostFormat.parse(k);
      } catch (IllegalArgumentException e) {
        throw TallyException.invalid(Problem.of("--format", "must be events, " + CostFormat.NAMES, kind));
      }
      try (TallyStore s = store.open()) {
        CostCommand.importFiles(s, store.tenant(), cost, files, replace, columns, spec.commandLine().getOut());
      }
      return 0;
    }
    if (!columns.isEmpty()) {
      throw TallyException.invalid(Problem.of("--column", "applies to cost data (--format focus, azure, aws, google "
          + "or oracle); for events, --map says which column holds each attribute"));
    }
    if (replace) {
      throw TallyException.invalid(Problem.of("--replace", "applies to cost data (--format focus, azure or aws); "
          + "events are never replaced, a repeated event id is a duplicate"));
    }
    EventImporter.Format fmt;
    try {
      fmt = EventImporter.Format.valueOf(format.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw TallyException.invalid(Problem.of("--input-format", "must be auto, json, csv or parquet", format));
    }
    if (rejects != null && files.size() > 1) {
      throw TallyException.invalid(Problem.of("--rejects", "takes one input file; with several, each gets its own "
          + "FILE.rejected.ndjson"));
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String tenant = store.tenant();
    int exit = 0;
    IngestResult total = IngestResult.EMPTY;
    try (TallyStore s = store.open()) {
      s.ensureTenant(tenant);
      for (Path file : files) {
        ProgressBar bar = ProgressBar.forStderr(err, file.getFileName().toString());
        EventImporter.Report r;
        try {
          r = s.importer().importFile(file, new EventImporter.Options(tenant, fmt, mapping, skipInvalid,
              Optional.ofNullable(rejects), Optional.ofNullable(bar)));
        } finally {
          if (bar != null) {
            bar.finish();
          }
        }
        total = total.plus(r.result());
        out.println(summary(file, r));
        if (!r.problems().isEmpty()) {
          int shown = 0;
          for (Problem p : r.problems()) {
            if (shown++ == 20) {
              err.println("  ... " + (r.result().rejected() - 20) + " more rejected row(s)"
                  + (r.rejectsFile().isPresent() ? "; all are in " + r.rejectsFile().get() : ""));
              break;
            }
            err.println("  " + file.getFileName() + ": " + p.describe());
          }
          r.rejectsFile().ifPresent(f -> err.println("  rejected rows and reasons written to " + f));
          if (!r.committed()) {
            err.println("  nothing from " + file + " was stored (use --skip-invalid to store the valid rows)");
            exit = TallyCli.EXIT_INPUT;
          }
        }
      }
    }
    if (files.size() > 1) {
      out.println(String.format("total: read %d, stored %d, duplicates %d, rejected %d", total.read(), total.stored(),
          total.duplicates(), total.rejected()));
    }
    return exit;
  }

  private static String summary(Path file, EventImporter.Report r) {
    IngestResult x = r.result();
    return String.format("%s: read %d, stored %d, duplicates %d, rejected %d", file, x.read(), x.stored(),
        x.duplicates(), x.rejected());
  }
}
