package dev.tally.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.api.TallyException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code --format} parsed once: the default, any case, and the error naming the flag and the command's values. */
class FormatOptionTest {
  @Command(name = "list")
  static final class Listing implements Runnable {
    @Mixin FormatOption.JsonOrTable format;

    @Override
    public void run() {}
  }

  private static Listing parse(String... args) {
    Listing l = new Listing();
    new CommandLine(l).parseArgs(args);
    return l;
  }

  @Test
  void theDefaultAndAnyCase() {
    assertThat(parse().format.format()).isEqualTo(OutputFormat.TABLE);
    assertThat(parse("--format", " JSON ").format.format()).isEqualTo(OutputFormat.JSON);
    assertThat(FormatOption.given(new CommandLine(parse("--format", "json")).getCommandSpec()))
        .contains(OutputFormat.JSON);
  }

  @Test
  void aValueTheCommandDoesNotTakeIsRefusedNamingTheFlagAndTheValues() {
    // csv is a format, but not one this command takes.
    assertThatThrownBy(() -> parse("--format", "csv").format.format()).isInstanceOf(TallyException.class)
        .hasMessage("--format: must be json or table (given \"csv\")");
  }

  @Test
  void theHelpSaysTheValuesAndTheDefault() {
    StringWriter help = new StringWriter();
    new CommandLine(new Listing()).usage(new PrintWriter(help));
    assertThat(help.toString()).contains("--format=FORMAT", "json or table (default: table).");
  }

  @Test
  void rowsAsCsvOrATable() {
    Output.Rows rows = new Output.Rows(List.of("name", "total"), List.of(List.of("a,b", "1.50")), 1);
    // RFC 4180 line ends, as every CSV Tally writes.
    assertThat(rows.render(OutputFormat.CSV)).isEqualTo("name,total\r\n\"a,b\",1.50\r\n");
    assertThat(rows.render(OutputFormat.TABLE)).contains("name").contains("1.50");
  }
}
