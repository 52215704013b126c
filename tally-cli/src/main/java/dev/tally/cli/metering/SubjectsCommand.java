package dev.tally.cli.metering;

import dev.tally.cli.common.StoreOptions;
import dev.tally.core.format.TextTable;
import dev.tally.core.json.Json;
import dev.tally.options.CommandGroup;
import dev.tally.options.FormatOption;
import dev.tally.options.Output;
import dev.tally.options.OutputFormat;
import dev.tally.store.TallyStore;
import dev.tally.store.subjects.Subject;
import dev.tally.store.subjects.SubjectStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tally subjects list|show}: the subjects stored through the OpenMeter-compatible {@code /api/v1/subjects}
 * routes, read back without a server. JSON is the shape the HTTP API answers.
 */
@Command(
    name = "subjects",
    mixinStandardHelpOptions = true,
    description = "Read back the subjects (who an event's subject is) set over HTTP with POST /api/v1/subjects.",
    subcommands = {SubjectsCommand.ListSubjects.class, SubjectsCommand.Show.class})
public final class SubjectsCommand extends CommandGroup {
  static void table(PrintWriter out, List<Subject> subjects) {
    TextTable t = new TextTable(List.of("key", "displayName", "id", "currentPeriod", "stripeCustomerId", "metadata"),
        new boolean[6]);
    for (Subject s : subjects) {
      String period = s.currentPeriodStart().map(Object::toString).orElse("") + ".."
          + s.currentPeriodEnd().map(Object::toString).orElse("");
      t.add(List.of(s.key(), s.displayName().orElse("-"), s.id(), period.equals("..") ? "-" : period,
          s.stripeCustomerId().orElse("-"), s.metadata().map(m -> Json.json().valueToTree(m).toString()).orElse("-")));
    }
    out.print(t);
    out.println("(" + subjects.size() + " subject" + (subjects.size() == 1 ? "" : "s") + ")");
  }

  /** {@code tally subjects list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tenant's subjects, by key.")
  static final class ListSubjects implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Mixin FormatOption.JsonOrTable format;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      OutputFormat f = format.format();
      List<Subject> subjects;
      try (TallyStore s = store.open()) {
        subjects = SubjectStore.on(s).list(store.tenant());
      }
      PrintWriter out = spec.commandLine().getOut();
      if (f == OutputFormat.JSON) {
        var array = Json.json().createArrayNode();
        subjects.forEach(x -> array.add(x.toJson()));
        out.print(Output.json(array));
      } else {
        table(out, subjects);
      }
      return 0;
    }
  }

  /** {@code tally subjects show KEY}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one subject, by key or id.")
  static final class Show implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Parameters(index = "0", paramLabel = "KEY", description = "The subject's key (the events' subject) or id.")
    String key;

    @Mixin FormatOption.JsonOrTable format;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      OutputFormat f = format.format();
      Subject subject;
      try (TallyStore s = store.open()) {
        subject = SubjectStore.on(s).find(store.tenant(), key).orElseThrow(() -> SubjectStore.notFound(key));
      }
      PrintWriter out = spec.commandLine().getOut();
      if (f == OutputFormat.JSON) {
        out.print(Output.json(subject.toJson()));
      } else {
        table(out, List.of(subject));
      }
      return 0;
    }
  }
}
