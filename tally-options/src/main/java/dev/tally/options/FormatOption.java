package dev.tally.options;

import static dev.tally.options.OutputFormat.CSV;
import static dev.tally.options.OutputFormat.FOCUS;
import static dev.tally.options.OutputFormat.JSON;
import static dev.tally.options.OutputFormat.TABLE;
import static dev.tally.options.OutputFormat.TEXT;
import static dev.tally.options.OutputFormat.YAML;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The {@code --format} option, mixed into a command with {@code @Mixin}. The formats a command accepts, its default
 * and its help line are one of the classes below (picocli's annotations are constants, so each combination is a class
 * of its own); the parsing, and its error naming the flag and the accepted values, is here once.
 */
public abstract class FormatOption {
  private final List<OutputFormat> accepted;

  FormatOption(OutputFormat... accepted) {
    this.accepted = List.of(accepted);
  }

  /** The flag as typed (or its default). */
  public abstract String text();

  /**
   * The format given, in any case, blanks around ignored.
   *
   * @throws TallyException naming {@code --format} and the values this command accepts, when it is not one of them
   */
  public OutputFormat format() {
    String name = text() == null ? "" : text().strip().toUpperCase(Locale.ROOT);
    for (OutputFormat f : accepted) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw TallyException.invalid(Problem.of("--format", "must be " + choices(), text()));
  }

  /**
   * The format given to a command: that of the {@code FormatOption} it mixes in, which is how a base class of several
   * commands reads each one's {@code --format} without naming its class.
   *
   * @return empty for a command that takes no {@code --format}
   */
  public static Optional<OutputFormat> given(CommandSpec command) {
    return command.mixins().values().stream().map(CommandSpec::userObject)
        .filter(FormatOption.class::isInstance).map(o -> ((FormatOption) o).format()).findFirst();
  }

  /** The accepted values as the help line gives them: {@code json, csv or table}. */
  String choices() {
    List<String> labels = accepted.stream().map(OutputFormat::label).toList();
    return String.join(", ", labels.subList(0, labels.size() - 1)) + " or " + labels.get(labels.size() - 1);
  }

  /** json, csv or table, table by default: what most commands print. */
  public static final class Table extends FormatOption {
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
        description = "json, csv or table (default: ${DEFAULT-VALUE}).")
    String format;

    public Table() {
      super(JSON, CSV, TABLE);
    }

    @Override
    public String text() {
      return format;
    }
  }

  /** json, csv or table, json by default: {@code query}, whose JSON is OpenMeter's answer. */
  public static final class Json extends FormatOption {
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json",
        description = "json, csv or table (default: ${DEFAULT-VALUE}).")
    String format;

    public Json() {
      super(JSON, CSV, TABLE);
    }

    @Override
    public String text() {
      return format;
    }
  }

  /** json or table: one document, or a list with no CSV of its own. */
  public static final class JsonOrTable extends FormatOption {
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
        description = "json or table (default: ${DEFAULT-VALUE}).")
    String format;

    public JsonOrTable() {
      super(JSON, TABLE);
    }

    @Override
    public String text() {
      return format;
    }
  }

  /** json, yaml or table: declarations that can be applied again. */
  public static final class JsonYamlTable extends FormatOption {
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
        description = "json, yaml or table (default: ${DEFAULT-VALUE}).")
    String format;

    public JsonYamlTable() {
      super(JSON, YAML, TABLE);
    }

    @Override
    public String text() {
      return format;
    }
  }

  /** text or json: a summary of work done. */
  public static final class TextOrJson extends FormatOption {
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
        description = "text or json (default: ${DEFAULT-VALUE}).")
    String format;

    public TextOrJson() {
      super(TEXT, JSON);
    }

    @Override
    public String text() {
      return format;
    }
  }

  /** json, csv or focus: files for other tools. */
  public static final class JsonCsvFocus extends FormatOption {
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json",
        description = "json, csv or focus (default: ${DEFAULT-VALUE}).")
    String format;

    public JsonCsvFocus() {
      super(JSON, CSV, FOCUS);
    }

    @Override
    public String text() {
      return format;
    }
  }
}
