package dev.tally.cli.server;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --data DIR} option of commands that take no {@code --tenant} (serve, tenant), with the same fallback as
 * every other command: the flag, else {@code $TALLY_DATA}, else {@code ./tally-data}.
 */
final class DataDir {
  @Option(names = "--data", paramLabel = "DIR",
      description = "Data directory of the embedded store (default: $TALLY_DATA, else ./tally-data).")
  Path data;

  Path path() {
    if (data != null) {
      return data;
    }
    String env = System.getenv("TALLY_DATA");
    return Path.of(env != null && !env.isBlank() ? env : "tally-data");
  }
}
