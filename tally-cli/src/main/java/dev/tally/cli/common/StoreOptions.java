package dev.tally.cli.common;

import dev.tally.store.TallyStore;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every command that touches a tenant's data takes: where the store is, and whose data it is. Mixed into
 * commands with {@code @Mixin}.
 */
public final class StoreOptions {
  @Mixin DataOptions data;

  @Option(names = "--tenant", paramLabel = "T", defaultValue = TallyStore.DEFAULT_TENANT,
      description = "Tenant whose data to use (default: ${DEFAULT-VALUE}).")
  String tenant;

  /** The data directory: the flag, else {@code TALLY_DATA}, else {@code ./tally-data}. */
  public Path dataDir() {
    return data.dataDir();
  }

  /** The tenant, validated. */
  public String tenant() {
    return TallyStore.checkTenant(tenant);
  }

  /** Opens the store, as {@link DataOptions#open()} does. */
  public TallyStore open() {
    return data.open();
  }
}
