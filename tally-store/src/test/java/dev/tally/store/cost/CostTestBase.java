package dev.tally.store.cost;

import dev.tally.store.TallyStore;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base of the cost tests that each run on a store of their own: a real store in {@code dir/data} with the cost
 * area's tables, opened before each test and closed after it; the files a test imports go beside it in {@code dir}.
 * A subclass's own {@code @BeforeEach} (loading a bill, starting a receiver) runs after this one's.
 */
abstract class CostTestBase {
  @TempDir Path dir;
  TallyStore store;
  CostStore cost;

  @BeforeEach
  void openCostStore() {
    store = TallyStore.open(dir.resolve("data"), Clock.systemUTC());
    cost = CostStore.on(store);
  }

  @AfterEach
  void closeCostStore() {
    store.close();
  }

  /** A Parquet file beside the store with the rows of a query, written by DuckDB itself (typed columns, maps). */
  Path writeParquet(String name, String select) {
    Path file = dir.resolve(name);
    store.write(c -> {
      try (var st = c.createStatement()) {
        st.execute("COPY (" + select + ") TO '" + file + "' (FORMAT parquet)");
      }
      return null;
    });
    return file;
  }
}
