package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.api.Event;
import dev.tally.store.TallyStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** The command line run in-process, as every command's tests run it: the fixture they share. */
public final class CliRun {
  private CliRun() {}

  /** What a run gave: the exit code and what it printed on each stream. */
  public record Run(int code, String out, String err) {}

  /** Runs {@code tally ARGS}. */
  public static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = TallyCli.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  /** One tenant's store in a test's directory: every command runs with {@code --data DIR/data --tenant T}. */
  public static final class Tenant {
    private final Path dir;
    private final String tenant;

    public Tenant(Path dir, String tenant) {
      this.dir = dir;
      this.tenant = tenant;
    }

    /** The data directory. */
    public Path data() {
      return dir.resolve("data");
    }

    /** Runs {@code tally ARGS --data DIR/data --tenant T}. */
    public Run run(String... args) {
      String[] all = new String[args.length + 4];
      System.arraycopy(args, 0, all, 0, args.length);
      all[args.length] = "--data";
      all[args.length + 1] = data().toString();
      all[args.length + 2] = "--tenant";
      all[args.length + 3] = tenant;
      return CliRun.run(all);
    }

    /** Writes {@code what}.yaml and runs {@code tally WHAT apply} on it ({@code meters}, {@code catalog}). */
    public Run apply(String what, String yaml) {
      Path file = dir.resolve(what + ".yaml");
      try {
        Files.writeString(file, yaml);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Run applied = run(what, "apply", file.toString());
      assertThat(applied.code()).as(applied.err()).isZero();
      return applied;
    }

    /** Stores events as a server would have, acknowledged at {@code at}. */
    public void ingest(List<Event> events, Instant at) {
      try (TallyStore s = TallyStore.open(data(), Clock.systemUTC())) {
        s.ingestor().ingest(tenant, events, at);
      }
    }
  }
}
