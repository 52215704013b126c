package dev.tally.store;

import dev.tally.store.QueryOracle.Case;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The store of an oracle property (the store's, and tally-spark's parity property), one for all of its tries: a real
 * store in {@code dir()/store} on a clock at {@link QueryOracle#NOW}, each case loaded as a tenant of its own. Closing
 * it deletes the directory.
 */
public final class OracleStore implements AutoCloseable {
  private final TempDirectory dir;
  private final TestingClock clock = new TestingClock(QueryOracle.NOW);
  private final TallyStore store;
  private int tenants;

  public OracleStore(String prefix) throws IOException {
    dir = TempDirectory.create(prefix);
    store = TallyStore.open(dir.path().resolve("store"), clock);
  }

  /** The temporary directory: the store is in {@code store}, and the rest is free for the property's own use. */
  public Path dir() {
    return dir.path();
  }

  public TestingClock clock() {
    return clock;
  }

  public TallyStore store() {
    return store;
  }

  /** Defines the case's meter for a tenant of its own and ingests the case's events; returns the tenant. */
  public String load(Case c) {
    String tenant = "p" + ++tenants;
    store.meters().apply(tenant, List.of(QueryOracle.meter(c)), false);
    store.ingestor().ingest(tenant, QueryOracle.events(c), QueryOracle.NOW);
    return tenant;
  }

  @Override
  public void close() throws IOException {
    store.close();
    dir.close();
  }
}
