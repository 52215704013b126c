package dev.tally.cli;

import dev.tally.store.TallyStore;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Option;

/**
 * The options every command that touches data takes: where the store is, and whose data it is. Mixed into commands
 * with {@code @Mixin}.
 */
public final class StoreOptions {
  @Option(names = "--data", paramLabel = "DIR",
      description = "Data directory of the embedded store (default: $TALLY_DATA, else ./tally-data).")
  Path data;

  @Option(names = "--tenant", paramLabel = "T", defaultValue = TallyStore.DEFAULT_TENANT,
      description = "Tenant whose data to use (default: ${DEFAULT-VALUE}).")
  String tenant;

  /** The data directory: the flag, else {@code TALLY_DATA}, else {@code ./tally-data}. */
  public Path dataDir() {
    if (data != null) {
      return data;
    }
    String env = System.getenv("TALLY_DATA");
    return Path.of(env != null && !env.isBlank() ? env : "tally-data");
  }

  /** The tenant, validated. */
  public String tenant() {
    return TallyStore.checkTenant(tenant);
  }

  /** Opens the store with the system clock. */
  public TallyStore open() {
    return TallyStore.open(dataDir(), Clock.systemUTC());
  }
}
