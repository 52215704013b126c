package dev.tally.cli.common;

import dev.tally.store.TallyStore;
import dev.tally.store.wal.DurableIngestor;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The {@code --data DIR} option, for every command that opens the store: those that take a tenant get it through
 * {@link StoreOptions}; those that take none, or a {@code --tenant} of their own (serve, tenant, export, demo), mix
 * this in alone.
 */
public final class DataOptions {
  @Option(names = "--data", paramLabel = "DIR",
      description = "Data directory of the embedded store (default: $TALLY_DATA, else ./tally-data).")
  Path data;

  /** The flag as given, if it was. */
  public Optional<Path> given() {
    return Optional.ofNullable(data);
  }

  /** The data directory: the flag, else {@code TALLY_DATA}, else {@code ./tally-data}. */
  public Path dataDir() {
    if (data != null) {
      return data;
    }
    String env = System.getenv("TALLY_DATA");
    return Path.of(env != null && !env.isBlank() ? env : "tally-data");
  }

  /**
   * Opens the store with the system clock, after loading whatever a server acknowledged from its log but did not load
   * before it stopped (killed or crashed), so that every command sees every acknowledged event.
   */
  public TallyStore open() {
    return openLoaded(dataDir());
  }

  /** {@link #open()} for a given data directory (administration, which may go through a server instead). */
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
