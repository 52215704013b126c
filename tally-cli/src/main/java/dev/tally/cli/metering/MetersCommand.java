package dev.tally.cli.metering;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.api.Meter;
import dev.tally.cli.common.InputFile;
import dev.tally.cli.common.StoreOptions;
import dev.tally.core.format.TextTable;
import dev.tally.core.json.Json;
import dev.tally.core.meters.MeterDefinitions;
import dev.tally.options.CommandGroup;
import dev.tally.options.FormatOption;
import dev.tally.options.Output;
import dev.tally.options.OutputFormat;
import dev.tally.store.MeterStore;
import dev.tally.store.TallyStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally meters apply|list}. */
@Command(
    name = "meters",
    mixinStandardHelpOptions = true,
    description = "Declare and list meters.",
    subcommands = {MetersCommand.Apply.class, MetersCommand.ListMeters.class})
public final class MetersCommand extends CommandGroup {
  /** {@code tally meters apply FILE}. */
  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description = {
        "Create or update the meters declared in a YAML or JSON file (a top-level 'meters' list).",
        "A changed meter is recomputed from the stored events; meters not in the file are kept unless --prune."
      })
  static final class Apply implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Parameters(index = "0", paramLabel = "FILE", description = "meters.yaml or meters.json")
    Path file;

    @Option(names = "--prune", description = "Delete the tenant's meters that the file does not declare.")
    boolean prune;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      List<Meter> meters = MeterDefinitions.parseFile(InputFile.read(file), file.toString());
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try (TallyStore s = store.open()) {
        for (MeterStore.MeterChange c : s.meters().apply(store.tenant(), meters, prune)) {
          StringBuilder line = new StringBuilder(c.slug()).append(": ").append(c.change().name().toLowerCase());
          if (c.change() == MeterStore.Change.CREATED || c.change() == MeterStore.Change.UPDATED) {
            line.append(" (").append(c.backfilled()).append(" stored events counted)");
          }
          out.println(line);
          if (c.skipped() > 0) {
            err.println("  warning: " + c.skipped() + " stored event(s) for meter '" + c.slug()
                + "' have a value that does not fit and are not counted, e.g. " + String.join(", ", c.skippedSample()));
          }
        }
      }
      return 0;
    }
  }

  /** {@code tally meters list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tenant's meters.")
  static final class ListMeters implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Mixin FormatOption.JsonYamlTable format;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      OutputFormat f = format.format();
      List<Meter> meters;
      try (TallyStore s = store.open()) {
        meters = s.meters().definitions(store.tenant());
      }
      PrintWriter out = spec.commandLine().getOut();
      JsonNode declared = Json.json().createObjectNode().set("meters", MeterDefinitions.toJson(meters));
      switch (f) {
        case JSON -> out.print(Output.json(declared));
        case YAML -> out.print(Output.yaml(declared));
        default -> {
          TextTable t = new TextTable(List.of("slug", "eventType", "aggregation", "valueProperty", "groupBy",
              "description"), new boolean[6]);
          for (Meter m : meters) {
            List<String> gb = new ArrayList<>();
            m.groupBy().forEach((k, v) -> gb.add(k + "=" + v));
            t.add(List.of(m.slug(), m.eventType(), m.aggregation().name(), m.valueProperty().orElse(""),
                String.join(" ", gb), m.description()));
          }
          out.print(t);
          out.println("(" + meters.size() + " meter" + (meters.size() == 1 ? "" : "s") + ")");
        }
      }
      return 0;
    }
  }
}
