package dev.tally.cli.common;

import dev.tally.store.TallyStore;
import dev.tally.store.wal.DurableIngestor;
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

  /** Options given in code rather than by flags (a command with flags of its own, such as {@code tally demo}). */
  public static StoreOptions of(Path data, String tenant) {
    StoreOptions o = new StoreOptions();
    o.data = data;
    o.tenant = tenant;
    return o;
  }

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

  /**
   * Opens the store with the system clock, after loading whatever a server acknowledged from its log but did not load
   * before it stopped (killed or crashed), so that every command sees every acknowledged event.
   */
  public TallyStore open() {
    return openLoaded(dataDir());
  }

  /** {@link #open()} for a given data directory (commands that take no tenant). */
  public static TallyStore openLoaded(Path dataDir) {
    TallyStore store = TallyStore.open(dataDir, Clock.systemUTC());
    try {
      DurableIngestor.loadPending(store, DurableIngestor.PENDING_LOAD_WAIT);
      return store;
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

}
