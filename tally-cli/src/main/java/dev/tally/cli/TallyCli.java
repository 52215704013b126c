package dev.tally.cli;

import dev.tally.api.ErrorCode;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.cli.metering.MetersCommand;
import dev.tally.cli.metering.QueryCommand;
import dev.tally.cli.metering.SubjectsCommand;
import dev.tally.options.Flags;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * Tally's command line. Exit codes: 0 success, 1 bad input (the message says what and where), 2 usage error (an
 * unknown flag, a missing argument), 3 internal or environmental error (a bug, the store held by another process).
 */
@Command(
    name = "tally",
    mixinStandardHelpOptions = true,
    versionProvider = TallyCli.Version.class,
    description = "Usage metering, pricing and consumption analytics on an embedded store.",
    subcommands = {
      ImportCommand.class,
      MetersCommand.class,
      QueryCommand.class,
      SubjectsCommand.class,
      DemoCommand.class,
      dev.tally.cli.server.ServeCommand.class,
      dev.tally.cli.server.TenantCommand.class,
      dev.tally.cli.server.ExportCommand.class,
      dev.tally.cli.server.KeyCommand.class,
      dev.tally.cli.pricing.CatalogCommand.class,
      dev.tally.cli.pricing.InvoiceCommand.class,
      dev.tally.cli.pricing.SimulateCommand.class,
      dev.tally.cli.cost.CostCommand.class,
      dev.tally.cli.cost.ReportCommand.class,
      dev.tally.cli.cost.BudgetCommand.class,
      dev.tally.cli.cost.AlertsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class TallyCli implements Runnable {
  /** Exit code for bad input. */
  public static final int EXIT_INPUT = 1;
  /** Exit code for usage errors. */
  public static final int EXIT_USAGE = 2;
  /** Exit code for internal or environmental errors. */
  public static final int EXIT_INTERNAL = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the CLI with the given streams; returns the exit code. Tests call this in-process. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new TallyCli());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(TallyCli::exitCode);
    cli.getCommandSpec().exitCodeOnUsageHelp(0);
    cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
      report(ex, cmd.getErr());
      return exitCode(ex);
    });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  static int exitCode(Throwable t) {
    if (t instanceof CommandLine.ParameterException) {
      return EXIT_USAGE;
    }
    if (t instanceof TallyException te) {
      return te.code().kind() == ErrorCode.Kind.USER ? EXIT_INPUT : EXIT_INTERNAL;
    }
    // Anything else, IllegalArgumentException included, is a defect: user errors are TallyExceptions of a USER code,
    // thrown where input is read (one error channel, as on the server, which answers 500 for the same).
    return EXIT_INTERNAL;
  }

  /** Prints an error for a person: the message, then each problem on its own line (at most 50). */
  static void report(Throwable t, PrintWriter err) {
    if (t instanceof TallyException thrown) {
      // The store names a problem by its field; a person typed a flag.
      TallyException te = Flags.named(thrown);
      err.println("error: " + te.getMessage());
      int shown = 0;
      // A lone problem that the headline already says (TallyException.invalid(problem) makes it the headline) is
      // said once, not twice.
      boolean headlineOnly = te.problems().size() == 1 && te.problems().get(0).line().isEmpty()
          && te.getMessage().contains(te.problems().get(0).message());
      for (Problem p : headlineOnly ? List.<Problem>of() : te.problems()) {
        if (shown++ == 50) {
          err.println("  ... and " + (te.problems().size() - 50) + " more");
          break;
        }
        err.println("  " + p.describe());
      }
      if (te.code().kind() != ErrorCode.Kind.USER && te.getCause() != null && System.getenv("TALLY_DEBUG") != null) {
        te.printStackTrace(err);
      }
    } else {
      err.println("internal error: " + t);
      t.printStackTrace(err);
    }
    err.flush();
  }

  /** The version, from the jar's manifest when there is one. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = TallyCli.class.getPackage().getImplementationVersion();
      return new String[] {"tally " + (v == null ? "0.1.0-SNAPSHOT" : v)};
    }
  }
}
