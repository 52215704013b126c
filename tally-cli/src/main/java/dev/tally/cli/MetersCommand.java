package dev.tally.cli;

import dev.tally.api.Meter;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.cli.common.StoreOptions;
import dev.tally.core.format.TextTable;
import dev.tally.core.json.Json;
import dev.tally.core.meters.MeterDefinitions;
import dev.tally.store.MeterStore;
import dev.tally.store.TallyStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
final class MetersCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

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
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw TallyException.invalid(Problem.of("FILE", "cannot be read: " + e.getMessage(), file.toString()));
      }
      List<Meter> meters = MeterDefinitions.parseFile(text, file.toString());
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

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
        description = "json, yaml or table (default: ${DEFAULT-VALUE}).")
    String format;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      String f = format.trim().toLowerCase(java.util.Locale.ROOT);
      if (!List.of("json", "yaml", "table").contains(f)) {
        throw TallyException.invalid(Problem.of("--format", "must be json, yaml or table", format));
      }
      List<Meter> meters;
      try (TallyStore s = store.open()) {
        meters = s.meters().definitions(store.tenant());
      }
      PrintWriter out = spec.commandLine().getOut();
      switch (f) {
        case "json" -> out.println(Json.json().writerWithDefaultPrettyPrinter()
            .writeValueAsString(Json.json().createObjectNode().set("meters", MeterDefinitions.toJson(meters))));
        case "yaml" -> out.print(Json.yaml().writeValueAsString(
            Json.json().createObjectNode().set("meters", MeterDefinitions.toJson(meters))));
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
