package dev.tally.spark;

import dev.tally.api.ErrorCode;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
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
      if (e instanceof TallyException te) {
        err.println("error: " + te.getMessage());
        for (Problem p : te.problems()) {
          err.println("  " + p.describe());
        }
        return te.code().kind() == ErrorCode.Kind.USER ? 1 : 3;
      }
      if (e instanceof IllegalArgumentException) {
        err.println("error: " + e.getMessage());
        return 1;
      }
      err.println("error: " + e);
      return 3;
    });
    return cl;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
