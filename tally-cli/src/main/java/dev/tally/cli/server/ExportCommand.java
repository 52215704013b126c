package dev.tally.cli.server;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.cli.common.DataOptions;
import dev.tally.core.time.Timestamps;
import dev.tally.options.CommandGroup;
import dev.tally.options.FormatOption;
import dev.tally.options.Output;
import dev.tally.options.OutputFormat;
import dev.tally.store.export.ExportReport;
import dev.tally.store.export.LakeExport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tally export parquet}: the store as a data lake for Spark (see docs/scale-out.md). Works on the store, or
 * through {@code tally serve} while it holds the store, like {@code tally tenant} and {@code tally key}.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {"Export the store to other engines. While 'tally serve' runs on the data directory, this goes "
        + "through it."},
    subcommands = {ExportCommand.Parquet.class})
public final class ExportCommand extends CommandGroup {
  /** {@code tally export parquet --out DIR [--tenant T] [--from T --to T]}. */
  @Command(
      name = "parquet",
      mixinStandardHelpOptions = true,
      description = {
        "Write Hive-partitioned Parquet (tenant, then date) of events, each meter's values, cost charges and final "
            + "invoices, with the meter definitions and catalogue as JSON beside them.",
        "Incremental: run it again on the same --out and it adds only what is new, in new files; nothing is "
            + "rewritten or written twice."
      },
      footer = {
        "",
        "Examples:",
        "  tally export parquet --out lake                      # every tenant",
        "  tally export parquet --out lake --tenant demo        # again later: only what is new",
        "  tally-spark/tally-spark query ai_tokens --input lake --tenant demo --from 2024-04-01 --to 2024-05-01"
      })
  static final class Parquet implements Callable<Integer> {
    @Mixin DataOptions data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The lake directory.")
    Path out;

    @Option(names = "--tenant", paramLabel = "T", description = "Only this tenant (default: every tenant).")
    String tenant;

    @Option(names = "--from", paramLabel = "T", description = "Only rows at or after this time (RFC 3339 or a "
        + "UTC date).")
    String from;

    @Option(names = "--to", paramLabel = "T", description = "Only rows before this time (RFC 3339 or a UTC date).")
    String to;

    @Mixin FormatOption.TextOrJson format;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      List<Problem> problems = new ArrayList<>();
      Optional<Instant> f = bound("--from", from, problems);
      Optional<Instant> t = bound("--to", to, problems);
      OutputFormat shown = OutputFormat.TEXT;
      try {
        shown = format.format();
      } catch (TallyException e) {
        problems.addAll(e.problems());
      }
      if (!problems.isEmpty()) {
        throw TallyException.invalid("invalid export", problems);
      }
      LakeExport.Request request =
          new LakeExport.Request(out.toAbsolutePath(), Optional.ofNullable(tenant), f, t);
      PrintWriter o = spec.commandLine().getOut();
      try (Admin admin = Admins.connect(data.dataDir())) {
        ExportReport report = admin.export(request);
        if (shown == OutputFormat.JSON) {
          o.print(Output.json(report.toJson()));
        } else {
          o.print(report.describe());
        }
        spec.commandLine().getErr().println("export done " + admin.where());
      }
      return 0;
    }

    private static Optional<Instant> bound(String flag, String text, List<Problem> problems) {
      if (text == null) {
        return Optional.empty();
      }
      try {
        return Optional.of(Timestamps.parseBound(text, ZoneOffset.UTC));
      } catch (IllegalArgumentException e) {
        problems.add(Problem.of(flag, e.getMessage(), text));
        return Optional.empty();
      }
    }
  }
}
