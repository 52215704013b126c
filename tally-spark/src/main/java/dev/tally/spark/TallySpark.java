package dev.tally.spark;

import dev.tally.api.ErrorCode;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.options.Flags;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code tally-spark}: Tally's queries and reports on Spark over a lake written by {@code tally export parquet}, with
 * the flags and output of {@code tally query} and {@code tally report}.
 */
@Command(
    name = "tally-spark",
    mixinStandardHelpOptions = true,
    description = {"Tally's meter queries and cost reports on Apache Spark, over a lake written by "
        + "'tally export parquet'. Same flags and same output as 'tally query' and 'tally report'."},
    subcommands = {SparkQueryCommand.class, SparkReportCommand.class})
public final class TallySpark implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The command line with Tally's exit codes: 1 bad input, 2 usage, 3 internal or unavailable. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new TallySpark());
    cl.setExecutionExceptionHandler((e, line, parsed) -> {
      PrintWriter err = line.getErr();
      if (e instanceof TallyException thrown) {
        // Core and the store name a problem by its field; a person typed a flag (the same table as tally's).
        TallyException te = Flags.named(thrown);
        err.println("error: " + te.getMessage());
        for (Problem p : te.problems()) {
          err.println("  " + p.describe());
        }
        return te.code().kind() == ErrorCode.Kind.USER ? 1 : 3;
      }
      // Anything else, an IllegalArgumentException from a record's own check included, is a defect (as in tally).
      err.println("internal error: " + e);
      e.printStackTrace(err);
      return 3;
    });
    return cl;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
